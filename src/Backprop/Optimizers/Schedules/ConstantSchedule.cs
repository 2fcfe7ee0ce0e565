namespace Backprop.Optimizers;

/// <summary>The base rate every epoch: <c>constant</c>.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate) => baseRate;

    /// <inheritdoc/>
    public override string? Problem() => null;

    /// <summary><c>constant</c>.</summary>
    public override string ToString() => "constant";
}
