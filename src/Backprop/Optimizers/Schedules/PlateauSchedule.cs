namespace Backprop.Optimizers;

/// <summary>
/// The base rate, cut by <see cref="Factor"/> whenever the monitored loss has not improved for more than <see cref="Patience"/>
/// epochs (PyTorch's <c>ReduceLROnPlateau</c>, mode 'min', relative threshold 1e-4, no cooldown); <c>plateau[:PATIENCE[:FACTOR]]</c>.
/// </summary>
/// <remarks>
/// The monitored loss is the validation loss, or the training loss without validation data. <see cref="LearningRateAt"/> is the
/// rate after <c>0</c> cuts; <see cref="Training.LearningRateScheduler{T}"/> counts the cuts from the losses it sees and saves the
/// count, so a resumed run goes on at the rate it had reached.
/// </remarks>
/// <param name="Patience">Epochs without improvement tolerated (≥ 0). Default 10.</param>
/// <param name="Factor">Multiplier applied on a plateau, in <c>(0, 1)</c>. Default 0.1.</param>
public sealed record PlateauSchedule(int Patience = PlateauSchedule.DefaultPatience, double Factor = PlateauSchedule.DefaultFactor) : LearningRateSchedule
{
    /// <summary>The patience when none is given (PyTorch's).</summary>
    public const int DefaultPatience = 10;

    /// <summary>The factor when none is given (PyTorch's).</summary>
    public const double DefaultFactor = 0.1;

    /// <summary>Relative improvement that counts: a loss below <c>best · (1 − 1e-4)</c> (PyTorch's threshold).</summary>
    public const double Threshold = 1e-4;

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate) => baseRate;

    /// <summary>The rate after <paramref name="cuts"/> cuts: <c>lr₀ · Factor^cuts</c>.</summary>
    public double LearningRateAfter(int cuts, double baseRate) => baseRate * Math.Pow(Factor, cuts);

    /// <inheritdoc/>
    public override string? Problem() =>
        Patience < 0 ? "a patience ≥ 0"
        : !(Factor > 0 && Factor < 1) ? "a factor in (0, 1)"
        : null;

    /// <summary>For example <c>plateau</c>, <c>plateau:5</c> or <c>plateau:5:0.5</c>.</summary>
    public override string ToString() =>
        Factor != DefaultFactor ? $"plateau:{Patience}:{Text(Factor)}"
        : Patience != DefaultPatience ? $"plateau:{Patience}"
        : "plateau";
}
