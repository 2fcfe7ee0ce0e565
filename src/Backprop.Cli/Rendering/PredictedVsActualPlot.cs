using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Regression quality at a glance: predicted against actual values, with the ideal line <c>y = x</c>.</summary>
internal static class PredictedVsActualPlot
{
    /// <summary>Builds the scatter plot of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    public static Plot Create(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(actual.ToArray(), predicted.ToArray());
        points.LegendText = "samples";
        points.MarkerSize = 5;
        points.Color = Colors.C0.WithAlpha(0.6);
        // Both axes show the same range on a square data area, so that y = x is the diagonal at 45° and a distance off it
        // reads the same across as up: with ranges fitted to each axis apart the ideal line had some other slope.
        var (low, high) = SharedRange(actual.Concat(predicted));
        var ideal = plot.Add.Line(low, low, high, high);
        ideal.LegendText = "predicted = actual";
        ideal.LinePattern = LinePattern.Dashed;
        ideal.LineWidth = 1.5f;
        ideal.Color = Colors.C1;
        plot.Axes.SetLimits(low, high, low, high);
        plot.Layout.LayoutEngine = new SquareDataArea();
        plot.Title("Predicted vs. actual");
        plot.XLabel("actual");
        plot.YLabel("predicted");
        // Beside the square, in the room the wide figure has to spare there, rather than over points in a corner.
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The range of the finite <paramref name="values"/>, with 4 % to spare at each end (around a single value: a tenth of it, at least 1).</summary>
    internal static (double Low, double High) SharedRange(IEnumerable<double> values)
    {
        double[] finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (0, 1);
        double low = finite.Min();
        double high = finite.Max();
        double margin = high > low ? 0.04 * (high - low) : Math.Max(1, Math.Abs(low) * 0.1);
        return (low - margin, high + margin);
    }
}
