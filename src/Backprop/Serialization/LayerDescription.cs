namespace Backprop.Serialization;

/// <summary>One layer of a saved architecture, as plain data: what <see cref="LayerCatalog"/> needs to rebuild it.</summary>
/// <param name="Type">The layer kind, as its class is named: <c>Dense</c>, <c>FeatureScale</c>, <c>Relu</c>, <c>Tanh</c>, <c>Sigmoid</c>, <c>LeakyRelu</c>, <c>Gelu</c>, <c>Selu</c>, <c>Mish</c>, …</param>
/// <param name="InputFeatures">Input feature count <c>I</c>.</param>
/// <param name="OutputFeatures">Output feature count <c>O</c> (equal to <c>I</c> for an activation).</param>
/// <param name="Initialization">How the weights were drawn (for <c>Dense</c>: an <see cref="Layers.Initialization"/> name), or <see langword="null"/>.</param>
/// <param name="Options">Numeric hyper-parameters by name (for example <c>negative_slope</c> of <c>LeakyRelu</c>), or <see langword="null"/> for none.</param>
public sealed record LayerDescription(
    string Type,
    int InputFeatures,
    int OutputFeatures,
    string? Initialization = null,
    IReadOnlyDictionary<string, double>? Options = null)
{
    /// <summary>The option <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public double Option(string name, double fallback) =>
        Options is not null && Options.TryGetValue(name, out double value) ? value : fallback;

    /// <summary>For example <c>Dense(4 → 16)</c>, <c>GroupedDense(4 × 100 → 3)</c> (4 groups of 100 inputs and 3 outputs) or <c>Relu(16)</c>.</summary>
    public override string ToString() =>
        Type == "GroupedDense" && Option("groups", 0) is double g and >= 1 and <= int.MaxValue && InputFeatures % (int)g == 0 && OutputFeatures % (int)g == 0
            ? $"{Type}({(int)g} × {InputFeatures / (int)g} → {OutputFeatures / (int)g})"
        : InputFeatures == OutputFeatures && Type is not ("Dense" or "GroupedDense") ? $"{Type}({InputFeatures})"
        : $"{Type}({InputFeatures} → {OutputFeatures})";
}
