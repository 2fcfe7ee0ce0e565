namespace Backprop.Optimizers;

/// <summary>The rate times <c>γ</c> every <see cref="StepSize"/> epochs: <c>lr = lr₀ · γ^⌊epoch / StepSize⌋</c> (PyTorch's <c>StepLR</c>); <c>step:EPOCHS[:GAMMA]</c>.</summary>
/// <param name="StepSize">Epochs between decays (≥ 1).</param>
/// <param name="Gamma">Factor per decay, in <c>(0, 1]</c>. Default 0.1 (PyTorch's).</param>
public sealed record StepSchedule(int StepSize, double Gamma = StepSchedule.DefaultGamma) : LearningRateSchedule
{
    /// <summary>The factor per decay when none is given (PyTorch's).</summary>
    public const double DefaultGamma = 0.1;

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate) => baseRate * Math.Pow(Gamma, epoch / StepSize);

    /// <inheritdoc/>
    public override string? Problem() =>
        StepSize < 1 ? "a step of at least 1 epoch"
        : !(Gamma > 0 && Gamma <= 1) ? "a gamma in (0, 1]"
        : null;

    /// <summary>For example <c>step:10:0.5</c> (<c>step:10</c> with the default gamma).</summary>
    public override string ToString() => Gamma == DefaultGamma ? $"step:{StepSize}" : $"step:{StepSize}:{Text(Gamma)}";
}
