namespace Backprop.Models;

/// <summary>How a <see cref="TabularModel{T}"/> turns the network's raw outputs into predictions.</summary>
public enum OutputKind
{
    /// <summary>Classification with one output per class: probabilities = softmax(outputs).</summary>
    Softmax,

    /// <summary>Two-class classification with one output (the logit of the second class): p₁ = σ(output), p₀ = 1 − p₁.</summary>
    Sigmoid,

    /// <summary>Regression: prediction = output · target scale + target mean.</summary>
    Identity,
}
