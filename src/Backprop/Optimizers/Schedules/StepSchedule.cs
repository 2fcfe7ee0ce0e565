using System.Globalization;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Multiplies the learning rate by <c>γ</c> every <c>stepSize</c> epochs: <c>lr = lr₀ · γ^⌊epoch / stepSize⌋</c> (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepSchedule<T> : LearningRateSchedule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Epochs between decays (≥ 1).</param>
    /// <param name="gamma">Factor per decay, in <c>(0, 1]</c>. Default 0.1 (PyTorch's).</param>
    public StepSchedule(int stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        ScheduleChecks.Factor(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor per decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, double initial, int epochs) => initial * Math.Pow(Gamma, epoch / StepSize);

    /// <summary>For example <c>StepSchedule(step: 10, gamma: 0.1)</c>.</summary>
    public override string ToString() => $"StepSchedule(step: {StepSize}, gamma: {Gamma.ToString(CultureInfo.InvariantCulture)})";
}
