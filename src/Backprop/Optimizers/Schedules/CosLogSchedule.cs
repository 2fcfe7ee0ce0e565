namespace Backprop.Optimizers;

/// <summary>
/// RealMLP's "coslog" schedule (Holzmüller et al. 2024), set before every step: <c>coslog[:CYCLES]</c>, 4 cycles by default.
/// </summary>
/// <remarks>
/// At the fraction <c>t</c> of the run done (counted in steps), <c>lr = lr₀ · (1 − cos(2π · log₂(1 + (2^C − 1) · t))) / 2</c>:
/// <c>C</c> times the rate rises from 0 to the base rate and falls back, each cycle longer than the one before
/// (with 4, the first cycle takes a fifteenth of the run, the last over half of it). The run ends at a rate of 0, so its last
/// epochs settle; the early cycles explore. A pure function of the step, so a resumed run continues exactly.
/// </remarks>
/// <param name="Cycles">The number of rises and falls (≥ 1). Default 4 (RealMLP's "coslog4").</param>
public sealed record CosLogSchedule(int Cycles = 4) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override bool EveryStep => true;

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate) => LearningRateAt((double)epoch, epochs, baseRate);

    /// <inheritdoc/>
    public override double LearningRateAt(double epoch, int epochs, double baseRate)
    {
        double t = epochs > 0 ? Math.Clamp(epoch / epochs, 0, 1) : 1;
        double cycles = Math.Log2(1 + (Math.Pow(2, Cycles) - 1) * t);
        return baseRate * (1 - Math.Cos(2 * Math.PI * cycles)) / 2;
    }

    /// <inheritdoc/>
    public override string? Problem() => Cycles < 1 || Cycles > 30 ? "a whole number of cycles from 1 to 30" : null;

    /// <summary>For example <c>coslog</c> (4 cycles) or <c>coslog:2</c>.</summary>
    public override string ToString() => Cycles == 4 ? "coslog" : $"coslog:{Cycles}";
}
