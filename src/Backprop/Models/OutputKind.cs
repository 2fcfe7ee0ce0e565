namespace Backprop.Models;

/// <summary>How a <see cref="TabularModel{T}"/> turns the network's raw outputs into predictions.</summary>
public enum OutputKind
{
    /// <summary>Classification with one output per class: probabilities = softmax(outputs).</summary>
    Softmax,

    /// <summary>Classification by binary cross-entropy: one output for two classes (p₁ = σ(output), p₀ = 1 − p₁), or one per class (one-vs-rest sigmoids, normalized to sum to 1).</summary>
    Sigmoid,

    /// <summary>Regression: prediction = output · target scale + target mean.</summary>
    Identity,
}
