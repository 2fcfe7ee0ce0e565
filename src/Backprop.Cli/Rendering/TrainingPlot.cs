using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Backprop.Cli.Rendering;

/// <summary>Loss per epoch (training and validation) and the main metric, in one picture.</summary>
internal static class TrainingPlot
{
    /// <summary>
    /// Losses are drawn on a logarithmic axis when their largest value is more than this many times their smallest.
    /// </summary>
    /// <remarks>
    /// On a linear axis a loss that falls from 1 to 0.001 is a flat line on the floor after the first few epochs, and all that
    /// happens there (a slow decline, validation loss turning up) is invisible; on a log axis each decade gets the same height.
    /// Within one decade a log axis has few labelled values and shows little more than a linear one, and the linear axis from
    /// zero reads more simply, as a fall toward zero.
    /// </remarks>
    public const double LogScaleRatio = 10;

    /// <summary>Runs of at most this many epochs get a marker at every epoch, not only a line.</summary>
    public const int MarkedEpochs = 25;

    /// <summary>Builds the plot: losses on the left axis, the metric (if any) on the right axis, the legend below.</summary>
    /// <param name="loss">Training loss per epoch.</param>
    /// <param name="validationLoss">Validation loss per epoch, or null; NaN where an epoch has none.</param>
    /// <param name="metric">Main metric per epoch (validation accuracy or R²), or null; NaN where an epoch has none.</param>
    /// <param name="metricName">Its name, for the axis and the legend.</param>
    /// <param name="heldOut">What the held-out curve is, for the legend: "validation", or "out-of-fold" for a cross-fitted ensemble.</param>
    public static Plot Create(IReadOnlyList<double> loss, IReadOnlyList<double>? validationLoss, IReadOnlyList<double>? metric, string? metricName,
        string heldOut = "validation")
    {
        var plot = new Plot();
        double[] epochs = Enumerable.Range(0, loss.Count).Select(e => (double)e).ToArray();
        double[] drawnLosses = loss.Concat(validationLoss ?? []).Where(double.IsFinite).ToArray();
        bool logScale = UsesLogScale(drawnLosses);
        // On the log axis a curve is drawn through log10 of its values; a loss of 0 has no place there and leaves a gap.
        Func<double, double> toLossAxis = logScale ? l => l > 0 ? Math.Log10(l) : double.NaN : l => l;
        AddCurve(plot, epochs, loss, toLossAxis, "training loss", Colors.C0);
        if (validationLoss is { Count: > 0 })
        {
            AddCurve(plot, epochs, validationLoss, toLossAxis, $"{heldOut} loss", Colors.C1);
        }
        if (metric is { Count: > 0 } && metricName is not null)
        {
            var curve = AddCurve(plot, epochs, metric, m => m, metricName, Colors.C2);
            curve.LinePattern = LinePattern.Dashed;
            curve.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = metricName;
            // Accuracy and R² are at most 1, and 0 is the score of a model that knows nothing (R²) or nearly so (accuracy):
            // the axis always spans 0 to 1, so that the 0.002 of noise between two epochs looks like 0.002 and not like the
            // whole height. A negative R² (worse than predicting the mean) widens it downward, to −1 at most: lower values
            // leave the picture rather than squash the range that matters.
            double lowest = metric.Where(double.IsFinite).DefaultIfEmpty(0).Min();
            double bottom = Math.Max(-1, Math.Min(0, lowest));
            double margin = 0.03 * (1 - bottom);
            plot.Axes.SetLimitsY(bottom - margin, 1 + margin, plot.Axes.Right);
        }
        plot.Title("Training");
        plot.XLabel("epoch");
        if (logScale)
        {
            plot.YLabel("loss (log scale)");
            double low = Math.Log10(drawnLosses.Where(l => l > 0).Min());
            double high = Math.Log10(drawnLosses.Max());
            double margin = 0.04 * (high - low);
            plot.Axes.SetLimitsY(low - margin, high + margin, plot.Axes.Left);
            plot.Axes.Left.TickGenerator = LogTicks(low - margin, high + margin);
        }
        else
        {
            plot.YLabel("loss");
            // Losses are ≥ 0: the axis starts at 0, so the curves read as a fall toward zero.
            double top = drawnLosses.DefaultIfEmpty(1).Max();
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.05 : 1, plot.Axes.Left);
        }
        // Epochs are whole numbers, from the first to the last: the automatic margins made room for an epoch −2.
        double epochMargin = Math.Max(0.5, 0.02 * (loss.Count - 1));
        plot.Axes.SetLimitsX(-epochMargin, loss.Count - 1 + epochMargin, plot.Axes.Bottom);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        // Below the picture, outside the data area: no corner is reliably free (losses fall from the top left, a metric rises
        // along the top, a diverging run goes anywhere).
        var legend = plot.ShowLegend(Edge.Bottom);
        legend.Padding = new PixelPadding(left: 0, right: 0, bottom: 6, top: 0);
        return plot;
    }

    /// <summary>Whether the positive <paramref name="losses"/> span more than a factor of <see cref="LogScaleRatio"/>.</summary>
    internal static bool UsesLogScale(IReadOnlyCollection<double> losses)
    {
        double[] positive = losses.Where(l => l > 0 && double.IsFinite(l)).ToArray();
        return positive.Length > 0 && positive.Max() > LogScaleRatio * positive.Min();
    }

    private static ScottPlot.Plottables.Scatter AddCurve(Plot plot, double[] epochs, IReadOnlyList<double> values, Func<double, double> toAxis, string name, Color color)
    {
        // Infinite or missing values are NaN, which ScottPlot draws as a gap in the line.
        double[] ys = values.Select(v => double.IsFinite(v) ? toAxis(v) : double.NaN).ToArray();
        var curve = plot.Add.ScatterLine(epochs[..ys.Length], ys);
        curve.LegendText = name;
        curve.LineWidth = 2;
        curve.Color = color;
        // With few epochs each one is a point worth seeing, and a single epoch has no line to draw at all.
        curve.MarkerSize = epochs.Length <= MarkedEpochs ? 6 : 0;
        return curve;
    }

    /// <summary>
    /// Ticks of a log axis from 10^<paramref name="low"/> to 10^<paramref name="high"/>: a labelled tick at every power of ten
    /// and small ones at its 2 … 9 multiples; with fewer than three decades in view, 2× and 5× are labelled too, so that the
    /// axis never shows only one number.
    /// </summary>
    internal static NumericManual LogTicks(double low, double high)
    {
        var ticks = new NumericManual();
        bool fewDecades = high - low < 3;
        for (int decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
        {
            for (int multiple = 1; multiple <= 9; multiple++)
            {
                double position = decade + Math.Log10(multiple);
                if (multiple == 1 || (fewDecades && multiple is 2 or 5))
                {
                    ticks.AddMajor(position, FormatLoss(multiple * Math.Pow(10, decade)));
                }
                else
                {
                    ticks.AddMinor(position);
                }
            }
        }
        return ticks;
    }

    /// <summary>A loss tick's label: plain decimals from 0.0001 up to 100000 (0.001, 0.5, 20), powers of ten beyond (1e-5, 1e5).</summary>
    internal static string FormatLoss(double value) =>
        value.ToString(value is >= 1e-4 and < 1e5 ? "0.####" : "0e0", CultureInfo.InvariantCulture);
}
