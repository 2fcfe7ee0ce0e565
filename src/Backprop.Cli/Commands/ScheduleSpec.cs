using System.Globalization;
using System.Numerics;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>A learning-rate schedule as written on the command line: <c>constant</c>, <c>step:N[:γ]</c>, <c>exponential:γ</c>, <c>cosine[:W]</c>, <c>plateau[:P[:F]]</c>.</summary>
internal sealed record ScheduleSpec(string Kind, double[] Arguments)
{
    /// <summary>The forms accepted, for help and error messages.</summary>
    public const string Forms = "constant, step:EPOCHS[:GAMMA], exponential:GAMMA, cosine[:WARMUP_EPOCHS], plateau[:PATIENCE[:FACTOR]]";

    /// <summary>No schedule.</summary>
    public static ScheduleSpec Constant { get; } = new("constant", []);

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> set when it is malformed.</summary>
    public static ScheduleSpec? Parse(string text, out string? error)
    {
        error = null;
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        var arguments = new double[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out arguments[i - 1]))
            {
                error = $"--schedule: expected one of {Forms}. Received: '{text}'.";
                return null;
            }
        }
        (int min, int max) = parts[0] switch
        {
            "constant" => (0, 0),
            "step" => (1, 2),
            "exponential" => (1, 1),
            "cosine" => (0, 1),
            "plateau" => (0, 2),
            _ => (-1, -1),
        };
        if (min < 0 || arguments.Length < min || arguments.Length > max)
        {
            error = $"--schedule: expected one of {Forms}. Received: '{text}'.";
            return null;
        }
        var spec = new ScheduleSpec(parts[0], arguments);
        try
        {
            _ = spec.Create<double>(); // the constructors check the ranges
        }
        catch (ArgumentException e)
        {
            error = $"--schedule: expected step sizes ≥ 1, whole warm-up and patience epochs ≥ 0, gamma in (0, 1] and factor in (0, 1) "
                + $"({e.ParamName} is out of range). Received: '{text}'.";
            return null;
        }
        return spec;
    }

    /// <summary>The callback that applies the schedule, or null for <c>constant</c>.</summary>
    public ITrainingCallback<T>? Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
    {
        "step" => new StepSchedule<T>(Integer(0), Arguments.Length > 1 ? Arguments[1] : 0.1),
        "exponential" => new ExponentialSchedule<T>(Arguments[0]),
        "cosine" => new CosineSchedule<T>(Arguments.Length > 0 ? Integer(0) : 0),
        "plateau" => new ReduceOnPlateau<T>(factor: Arguments.Length > 1 ? Arguments[1] : 0.1, patience: Arguments.Length > 0 ? Integer(0) : 10),
        _ => null,
    };

    /// <summary>As written on the command line, for example <c>step:10:0.5</c>.</summary>
    public override string ToString() =>
        string.Join(":", Arguments.Select(a => a.ToString(CultureInfo.InvariantCulture)).Prepend(Kind));

    private int Integer(int index)
    {
        double value = Arguments[index];
        if (value != Math.Floor(value) || value < 0 || value > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Arguments), value, $"Expected a whole number of epochs. Received: {value}.");
        }
        return (int)value;
    }
}
