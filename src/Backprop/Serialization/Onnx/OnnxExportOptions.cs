namespace Backprop.Serialization.Onnx;

/// <summary>What an ONNX export needs beside the network: the raw input layout, the standardization and the task's output.</summary>
/// <remarks>
/// The model's input is the encoded row: raw columns in <see cref="Columns"/> order, each numeric column as one value and each
/// categorical column as its one-hot block. <see cref="Mean"/> and <see cref="Scale"/> standardize that encoded row (pass 0 and 1
/// for columns that are not standardized, such as one-hot columns if the preprocessing leaves them as 0/1).
/// </remarks>
/// <param name="Columns">The raw input columns, in the order of the model's encoded input.</param>
/// <param name="Mean">Per encoded column mean subtracted first, or <see langword="null"/> for none.</param>
/// <param name="Scale">Per encoded column divisor applied next, or <see langword="null"/> for none.</param>
/// <param name="ClassLabels">Class labels by index for a classifier (outputs <c>probabilities</c> and <c>label</c>); <see langword="null"/> for a regressor (output <c>prediction</c>).</param>
/// <param name="TargetMean">Regression: per output value added after <see cref="TargetScale"/> (un-scaling the target), or <see langword="null"/>.</param>
/// <param name="TargetScale">Regression: per output factor applied to the network's output, or <see langword="null"/>.</param>
/// <param name="Description">Free text added to the graph's doc string.</param>
public sealed record OnnxExportOptions(
    IReadOnlyList<OnnxInputColumn> Columns,
    IReadOnlyList<double>? Mean = null,
    IReadOnlyList<double>? Scale = null,
    IReadOnlyList<string>? ClassLabels = null,
    IReadOnlyList<double>? TargetMean = null,
    IReadOnlyList<double>? TargetScale = null,
    string? Description = null)
{
    /// <summary>
    /// Per encoded column, 1 to clip the standardized value smoothly, <c>z / √(1 + (z/3)²)</c> (robust scaling, <see cref="Preprocessing.NumericScaling.Robust"/>),
    /// 0 to leave it; <see langword="null"/> (default) for no clipping.
    /// </summary>
    public IReadOnlyList<double>? SmoothClip { get; init; }

    /// <summary>
    /// Per encoded column, the lowest value it takes after standardization (and clipping): the bins of a piecewise-linear
    /// encoding stop at 0 (<see cref="OnnxInputColumn.Copies"/>); <see cref="double.NegativeInfinity"/> for none, and
    /// <see langword="null"/> (default) for no bounds at all. With <see cref="Upper"/>.
    /// </summary>
    public IReadOnlyList<double>? Lower { get; init; }

    /// <summary>Per encoded column, the highest value it takes (the bins stop at 1); <see cref="double.PositiveInfinity"/> for none. With <see cref="Lower"/>.</summary>
    public IReadOnlyList<double>? Upper { get; init; }

    /// <summary>
    /// Networks trained side by side (1, default, for one): the network's outputs are the members' side by side, and the graph
    /// averages them, a classifier's as probabilities (softmax per member, then the mean), a regressor's as values.
    /// </summary>
    public int Members { get; init; } = 1;

    /// <summary>
    /// A classifier's temperature (temperature scaling): the graph divides the logits by it before the softmax, or, for an
    /// ensemble, takes the softmax of the log of the averaged probabilities divided by it. 1 (default) for none.
    /// </summary>
    public double Temperature { get; init; } = 1;

    /// <summary>
    /// A classifier trained with binary cross-entropy: its outputs are sigmoid logits, one for two classes (<c>p₁ = σ(z)</c>,
    /// <c>p₀ = 1 − p₁</c>) or one per class (one-vs-rest, normalized to sum to 1); an ensemble averages the members' sigmoids.
    /// <see langword="false"/> (default): softmax logits.
    /// </summary>
    public bool SigmoidOutputs { get; init; }

    /// <summary>Numeric columns only, named <paramref name="featureNames"/>, standardized with <paramref name="mean"/> and <paramref name="scale"/>.</summary>
    public static OnnxExportOptions Numeric(IReadOnlyList<string> featureNames, IReadOnlyList<double>? mean = null, IReadOnlyList<double>? scale = null,
        IReadOnlyList<string>? classLabels = null) =>
        new(featureNames.Select(name => new OnnxInputColumn(name)).ToArray(), mean, scale, classLabels);
}
