namespace Backprop.Optimizers;

/// <summary>Settings of <see cref="Sgd{T}"/>, with PyTorch's <c>torch.optim.SGD</c> semantics.</summary>
/// <param name="LearningRate">Step size (&gt; 0). Default 0.01, the notebook's (PyTorch requires one; scikit-learn's default is 0.001).</param>
/// <param name="Momentum">Momentum factor μ in <c>[0, 1)</c>. Default 0 (plain SGD).</param>
/// <param name="Dampening">Dampening of the momentum in <c>[0, 1]</c>: the new gradient enters the buffer scaled by <c>1 − dampening</c>. Default 0.</param>
/// <param name="Nesterov">Nesterov momentum: step along <c>g + μ · buffer</c> instead of the buffer. Needs momentum &gt; 0 and dampening 0. Default off.</param>
/// <param name="WeightDecay">L2 penalty λ ≥ 0, added to the gradient as <c>λ · θ</c> (coupled, like PyTorch's SGD). Default 0.</param>
public sealed record SgdOptions(double LearningRate = 0.01, double Momentum = 0, double Dampening = 0, bool Nesterov = false, double WeightDecay = 0)
{
    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        OptimizerChecks.Positive(LearningRate, nameof(LearningRate));
        OptimizerChecks.InRange(Momentum, 0, 1, inclusiveHigh: false, nameof(Momentum));
        OptimizerChecks.InRange(Dampening, 0, 1, inclusiveHigh: true, nameof(Dampening));
        OptimizerChecks.InRange(WeightDecay, 0, double.MaxValue, inclusiveHigh: true, nameof(WeightDecay));
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException($"Expected momentum > 0 and dampening 0 for Nesterov momentum. Received: momentum {Momentum}, dampening {Dampening}.");
        }
    }
}
