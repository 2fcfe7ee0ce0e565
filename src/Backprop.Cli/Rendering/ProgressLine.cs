using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>
/// The progress line under the epoch lines, laid out for one terminal width, such as (at 120 columns)
/// <c>epoch 1217/3000  ━━━━━━━━━━━━━─────────────────  40%  loss 1.17e-04  val acc 0.9722    85,514 samples/s   0:02 left</c>.
/// </summary>
/// <remarks>
/// It never wraps: a wrapped line can no longer be redrawn in place. Its text ends at least three columns short of the
/// terminal's edge and is padded with spaces to two columns short of it, where the cursor waits: the terminal's echo of
/// Ctrl+C (<c>^C</c>) then fills the line exactly, and the "Stopping…" note that follows it starts a line of its own instead of
/// running on after the bar. The bar gets at least a fifth of the width and at most two fifths; to make room
/// for it, figures are left out in this order: batch, validation loss (every epoch line shows it too), samples/s, the
/// validation metric, loss, time left. The epoch, the bar and the percentage stay; a terminal too narrow even for them gets
/// the line cut short, never wrapped.
/// </remarks>
/// <param name="Before">The text before the bar (epoch and batch, and the gap).</param>
/// <param name="BarWidth">The bar's width in columns; 0 for none.</param>
/// <param name="Filled">Columns of the bar that are done.</param>
/// <param name="After">The text after the bar (percentage and the figures).</param>
internal sealed record ProgressLine(string Before, int BarWidth, int Filled, string After)
{
    /// <summary>The narrowest bar drawn; on a terminal with no room for it the line has no bar.</summary>
    public const int MinBarWidth = 10;

    private const string Gap = "  ";
    // The widest values as they usually are: Number's, a rate under a million samples/s, a time left under an hour (a wider
    // one takes what it needs).
    private const int NumberWidth = 8;
    private const int RateWidth = 7;
    private const int DurationWidth = 5;
    // The order of leaving out figures: 1 goes first, Keep never goes.
    private const int Keep = 0;

    private static readonly Style DoneStyle = new(Color.Green);
    private static readonly Style ToDoStyle = new(Color.Grey);

    /// <summary>The line as it shows on a terminal that can draw box characters.</summary>
    public string Text => Before + new string('━', Filled) + new string('─', BarWidth - Filled) + After;

    /// <summary>The line as segments: the bar in colour, with box characters when the terminal has them (ASCII otherwise).</summary>
    public IEnumerable<Segment> Segments(bool unicode)
    {
        yield return new Segment(Before);
        yield return new Segment(new string(unicode ? '━' : '#', Filled), DoneStyle);
        yield return new Segment(new string(unicode ? '─' : '-', BarWidth - Filled), ToDoStyle);
        yield return new Segment(After);
    }

    /// <summary>Lays out <paramref name="progress"/> for a terminal <paramref name="width"/> columns wide.</summary>
    public static ProgressLine Layout(TrainingProgress progress, int width)
    {
        int available = Math.Max(0, width - 3);
        int padded = Math.Max(0, width - 2);
        if (progress.Epochs == 0)
        {
            // Before the first epoch (the data is still being read and prepared): nothing to measure yet.
            return Cut("starting…", available, padded);
        }

        // Each figure padded to the width of its widest value, so that the line keeps its shape from one refresh to the next
        // (and a figure does not come and go as its value grows by a digit), with its place in the order of leaving out.
        int last = progress.FirstEpoch + progress.Epochs;
        var before = new List<Figure> { new($"epoch {progress.Epoch + 1}/{last}", $"epoch {last}/{last}".Length, Keep) };
        if (progress.Batches > 1)
        {
            before.Add(new($"batch {progress.Batch}/{progress.Batches}", $"batch {progress.Batches}/{progress.Batches}".Length, 1));
        }
        string percent = " " + $"{Math.Floor(progress.Fraction * 100).ToString("0", CultureInfo.InvariantCulture)}%".PadLeft(4);
        var after = new List<Figure> { Figure.Of("loss", Number(progress.Loss), NumberWidth, 5) };
        if (progress.HasValidation)
        {
            after.Add(Figure.Of("val loss", Number(progress.ValidationLoss), NumberWidth, 2));
            if (progress.MetricName is { } name)
            {
                after.Add(Figure.Of($"val {MetricLabel(name)}", Number(progress.ValidationMetric), NumberWidth, 4));
            }
        }
        // With one batch an epoch, its size (all the samples) is unknown here, and samples/s could be off many times over.
        (double? perSecond, string unit) = progress.Batches > 1 ? (progress.SamplesPerSecond, "samples/s") : (progress.StepsPerSecond, "steps/s");
        string rate = perSecond is { } value ? value.ToString("N0", CultureInfo.InvariantCulture) : "-";
        after.Add(new($"{rate} {unit}", RateWidth + 1 + unit.Length, 3));
        after.Add(new($"{Duration(progress.TimeLeft)} left", DurationWidth + " left".Length, 6));

        // Every figure is set off from its neighbour (or the bar) by a gap; the percentage sticks to the bar.
        int Fixed() => before.Concat(after).Sum(figure => figure.Text.Length + Gap.Length) + percent.Length;
        int minBar = Math.Max(MinBarWidth, width / 5);
        int maxBar = Math.Max(minBar, width * 2 / 5);
        while (available - Fixed() < minBar && DropOne(before, after))
        {
        }
        int bar = Math.Min(available - Fixed(), maxBar);
        string left = string.Concat(before.Select(figure => figure.Text + Gap));
        string right = percent + string.Concat(after.Select(figure => Gap + figure.Text));
        if (bar < MinBarWidth)
        {
            return Cut(left + right.TrimStart(), available, padded);
        }
        int filled = (int)Math.Floor(progress.Fraction * bar);
        return new ProgressLine(left, bar, Math.Clamp(filled, 0, bar), right.PadRight(padded - left.Length - bar));
    }

    // Leaves out the figure that goes first -> false when only the ones kept are left.
    private static bool DropOne(List<Figure> before, List<Figure> after)
    {
        var droppable = before.Concat(after).Where(figure => figure.Drop != Keep).ToList();
        if (droppable.Count == 0) return false;
        Figure first = droppable.MinBy(figure => figure.Drop);
        if (!before.Remove(first)) after.Remove(first);
        return true;
    }

    // A figure of the line, padded with spaces to its width, and its place in the order of leaving out.
    private readonly record struct Figure(string Text, int Drop)
    {
        public Figure(string text, int width, int drop)
            : this(text.PadRight(width), drop)
        {
        }

        // "label value", padded to the label and the widest value.
        public static Figure Of(string label, string value, int valueWidth, int drop) =>
            new($"{label} {value}", label.Length + 1 + valueWidth, drop);
    }

    private static ProgressLine Cut(string text, int available, int padded) =>
        new((text.Length <= available ? text : text[..available]).PadRight(padded), 0, 0, "");

    private static string MetricLabel(string? name) => name switch
    {
        "accuracy" => "acc",
        "r2" => "R²",
        null => "metric",
        _ => name,
    };

    /// <summary>
    /// A loss or metric in at most 8 columns (9 when negative) with 3 or more significant digits: <c>0.0123</c>,
    /// <c>1.2346</c>, <c>123.46</c>, <c>8.02e-03</c>, <c>2.17e+05</c>; <c>-</c> while it is not known.
    /// </summary>
    internal static string Number(double? figure)
    {
        if (figure is not { } value) return "-";
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        double size = Math.Abs(value);
        if (size == 0) return "0";
        if (size >= 0.01 && size < 10) return value.ToString("F4", CultureInfo.InvariantCulture);
        if (size >= 10 && size < 1e5) return value.ToString("F2", CultureInfo.InvariantCulture);
        return value.ToString("0.00e+00", CultureInfo.InvariantCulture);
    }

    /// <summary>A time left as <c>m:ss</c> or <c>h:mm:ss</c>; <c>-:--</c> while it is not known yet.</summary>
    internal static string Duration(TimeSpan? time)
    {
        if (time is not { } left) return "-:--";
        if (left.TotalHours >= 100) return ">99 h";
        int hours = (int)left.TotalHours;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{left.Minutes:00}:{left.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}:{left.Seconds:00}");
    }
}
