using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>The same learning rate every epoch (the default behaviour; listed so a schedule can always be named).</summary>
public sealed class ConstantSchedule<T> : LearningRateSchedule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, double initial, int epochs) => initial;

    /// <summary><c>ConstantSchedule()</c>.</summary>
    public override string ToString() => "ConstantSchedule()";
}
