namespace Backprop.Optimizers;

/// <summary>The rate times <c>γ</c> every epoch: <c>lr = lr₀ · γ^epoch</c> (PyTorch's <c>ExponentialLR</c>); <c>exponential:GAMMA</c>.</summary>
/// <param name="Gamma">Factor per epoch, in <c>(0, 1]</c>.</param>
public sealed record ExponentialSchedule(double Gamma) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate) => baseRate * Math.Pow(Gamma, epoch);

    /// <inheritdoc/>
    public override string? Problem() => !(Gamma > 0 && Gamma <= 1) ? "a gamma in (0, 1]" : null;

    /// <summary>For example <c>exponential:0.95</c>.</summary>
    public override string ToString() => $"exponential:{Text(Gamma)}";
}
