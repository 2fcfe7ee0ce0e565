using System.Globalization;

namespace Backprop.Optimizers;

/// <summary>
/// A learning-rate schedule by epoch: a pure function of the epoch, the run's length in epochs and the base rate, written as
/// text the way the command line takes it (<c>constant</c>, <c>step:10:0.5</c>, <c>exponential:0.95</c>, <c>cosine:5</c>,
/// <c>plateau:10:0.1</c>).
/// </summary>
/// <remarks>
/// Because a schedule keeps no state, a run resumed at epoch <c>e</c> of <c>E</c> with the same base rate continues at exactly the
/// rate the uninterrupted run would have used; <see cref="Training.LearningRateScheduler{T}"/> applies it before every epoch.
/// The one adaptive form, <see cref="PlateauSchedule"/>, is the base rate cut by a factor on each plateau of the monitored loss;
/// the scheduler counts the cuts and saves that count with the model.
/// Records, so two schedules are equal when their kind and parameters are.
/// </remarks>
public abstract record LearningRateSchedule
{
    /// <summary>The forms <see cref="Parse"/> accepts, for help and error messages.</summary>
    public const string Forms = "constant, step:EPOCHS[:GAMMA], exponential:GAMMA, cosine[:WARMUP_EPOCHS[:MIN_LR]], coslog[:CYCLES], plateau[:PATIENCE[:FACTOR]]";

    /// <summary>The same rate every epoch.</summary>
    public static ConstantSchedule Constant { get; } = new();

    /// <summary>The rate of epoch <paramref name="epoch"/> (from 0) in a run of <paramref name="epochs"/> epochs that starts at <paramref name="baseRate"/>.</summary>
    /// <param name="epoch">The epoch about to run, counted from the first epoch of the run (a resumed run continues the count).</param>
    /// <param name="epochs">The run's length: the epoch count it was started for, its horizon.</param>
    /// <param name="baseRate">The run's learning rate before any schedule.</param>
    public abstract double LearningRateAt(int epoch, int epochs, double baseRate);

    /// <summary>Whether the rate changes within an epoch, set before every step (<see cref="CosLogSchedule"/>); otherwise once per epoch.</summary>
    public virtual bool EveryStep => false;

    /// <summary>The rate at a fractional epoch (<c>epoch + batch / batches</c>): for schedules set <see cref="EveryStep"/>; the others change only between epochs.</summary>
    public virtual double LearningRateAt(double epoch, int epochs, double baseRate) => LearningRateAt((int)Math.Floor(epoch), epochs, baseRate);

    /// <summary>What the parameters should be when they are out of range (for example <c>a gamma in (0, 1]</c>), or <see langword="null"/> when they are valid.</summary>
    public abstract string? Problem();

    /// <summary>The text form, which <see cref="Parse"/> reads back to an equal schedule: for example <c>step:10:0.5</c>.</summary>
    public abstract override string ToString();

    /// <summary>Reads a schedule written as on the command line (<see cref="Forms"/>).</summary>
    /// <exception cref="FormatException">The text is not one of the forms, or a parameter is out of range; the message says which.</exception>
    public static LearningRateSchedule Parse(string text) =>
        TryParse(text, out LearningRateSchedule? schedule, out string? error) ? schedule : throw new FormatException(error);

    /// <summary>Reads a schedule written as on the command line; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LearningRateSchedule? schedule,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        schedule = null;
        error = $"expected one of {Forms}. Received: '{text}'";
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        var arguments = new double[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out arguments[i - 1]) || !double.IsFinite(arguments[i - 1]))
            {
                return false;
            }
        }
        double At(int index, double fallback) => index < arguments.Length ? arguments[index] : fallback;
        bool Whole(int index) => index >= arguments.Length || (arguments[index] == Math.Floor(arguments[index]) && Math.Abs(arguments[index]) <= int.MaxValue);
        (int min, int max, int[] whole) = parts[0] switch
        {
            "constant" => (0, 0, Array.Empty<int>()),
            "step" => (1, 2, [0]),
            "exponential" => (1, 1, []),
            "cosine" => (0, 2, [0]),
            "coslog" => (0, 1, [0]),
            "plateau" => (0, 2, [0]),
            _ => (-1, -1, []),
        };
        if (min < 0 || arguments.Length < min || arguments.Length > max)
        {
            return false;
        }
        if (!Array.TrueForAll(whole, Whole))
        {
            error = $"expected a whole number of {(parts[0] == "coslog" ? "cycles" : "epochs")}. Received: '{text}'";
            return false;
        }
        LearningRateSchedule parsed = parts[0] switch
        {
            "step" => new StepSchedule((int)arguments[0], At(1, StepSchedule.DefaultGamma)),
            "exponential" => new ExponentialSchedule(arguments[0]),
            "cosine" => new CosineSchedule((int)At(0, 0), At(1, 0)),
            "coslog" => new CosLogSchedule((int)At(0, 4)),
            "plateau" => new PlateauSchedule((int)At(0, PlateauSchedule.DefaultPatience), At(1, PlateauSchedule.DefaultFactor)),
            _ => Constant,
        };
        if (parsed.Problem() is { } problem)
        {
            error = $"expected {problem}. Received: '{text}'";
            return false;
        }
        schedule = parsed;
        error = null;
        return true;
    }

    /// <summary>Invariant shortest round-trip text of a number, for <see cref="ToString"/>.</summary>
    private protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
