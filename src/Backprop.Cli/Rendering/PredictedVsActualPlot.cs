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
        double low = Math.Min(actual.DefaultIfEmpty(0).Min(), predicted.DefaultIfEmpty(0).Min());
        double high = Math.Max(actual.DefaultIfEmpty(1).Max(), predicted.DefaultIfEmpty(1).Max());
        var ideal = plot.Add.Line(low, low, high, high);
        ideal.LegendText = "predicted = actual";
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.C1;
        plot.Title("Predicted vs. actual");
        plot.XLabel("actual");
        plot.YLabel("predicted");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
