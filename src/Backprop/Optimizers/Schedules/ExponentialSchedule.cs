using System.Globalization;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Multiplies the learning rate by <c>γ</c> every epoch: <c>lr = lr₀ · γ^epoch</c> (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialSchedule<T> : LearningRateSchedule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the schedule with decay <paramref name="gamma"/> in <c>(0, 1]</c>.</summary>
    public ExponentialSchedule(double gamma)
    {
        ScheduleChecks.Factor(gamma, nameof(gamma));
        Gamma = gamma;
    }

    /// <summary>Factor per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, double initial, int epochs) => initial * Math.Pow(Gamma, epoch);

    /// <summary>For example <c>ExponentialSchedule(gamma: 0.95)</c>.</summary>
    public override string ToString() => $"ExponentialSchedule(gamma: {Gamma.ToString(CultureInfo.InvariantCulture)})";
}
