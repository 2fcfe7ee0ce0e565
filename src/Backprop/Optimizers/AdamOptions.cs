namespace Backprop.Optimizers;

/// <summary>Settings of <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>, with PyTorch's <c>torch.optim.Adam</c>/<c>AdamW</c> semantics.</summary>
/// <param name="LearningRate">Step size (&gt; 0). Default 1e-3 (PyTorch, Keras and scikit-learn agree).</param>
/// <param name="Beta1">Decay of the first-moment (mean) estimate, in <c>[0, 1)</c>. Default 0.9.</param>
/// <param name="Beta2">Decay of the second-moment (uncentred variance) estimate, in <c>[0, 1)</c>. Default 0.999.</param>
/// <param name="Epsilon">Added to <c>√v̂</c> in the denominator (&gt; 0). Default 1e-8 (PyTorch's; Keras uses 1e-7).</param>
/// <param name="WeightDecay">
/// λ ≥ 0. For <see cref="Adam{T}"/> an L2 penalty added to the gradient (<c>g + λθ</c>), for <see cref="AdamW{T}"/> a decoupled
/// decay <c>θ ← θ (1 − lr · λ)</c>. Default 0; <see cref="AdamW{T}"/>'s parameterless constructor uses 0.01, PyTorch's AdamW default.
/// </param>
public sealed record AdamOptions(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0)
{
    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        OptimizerChecks.Positive(LearningRate, nameof(LearningRate));
        OptimizerChecks.InRange(Beta1, 0, 1, inclusiveHigh: false, nameof(Beta1));
        OptimizerChecks.InRange(Beta2, 0, 1, inclusiveHigh: false, nameof(Beta2));
        OptimizerChecks.Positive(Epsilon, nameof(Epsilon));
        OptimizerChecks.InRange(WeightDecay, 0, double.MaxValue, inclusiveHigh: true, nameof(WeightDecay));
    }
}
