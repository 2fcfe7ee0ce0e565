using System.Globalization;
using Backprop.Metrics;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>
/// The reliability diagram of a classifier: per bin of confidence (the predicted class's probability), how often the model
/// was right, against the diagonal of a calibrated model; the bars' shading says how many rows each bin holds.
/// </summary>
internal static class ReliabilityPlot
{
    public static Plot Create(IReadOnlyList<ReliabilityBin> bins, double calibrationError)
    {
        var plot = new Plot();
        int most = Math.Max(1, bins.Max(b => b.Count));
        foreach (ReliabilityBin bin in bins.Where(b => b.Count > 0))
        {
            // A bar from 0 to the bin's accuracy over its confidence range; fuller where more rows fall.
            var bar = new Bar
            {
                Position = (bin.Low + bin.High) / 2,
                Value = bin.Accuracy,
                Size = (bin.High - bin.Low) * 0.92,
                FillColor = Colors.C0.WithAlpha(0.25 + 0.75 * bin.Count / most),
                LineWidth = 0,
            };
            plot.Add.Bar(bar);
        }
        ReliabilityBin[] filled = [.. bins.Where(b => b.Count > 0)];
        var points = plot.Add.ScatterPoints(filled.Select(b => b.Confidence).ToArray(), filled.Select(b => b.Accuracy).ToArray());
        points.MarkerSize = 7;
        points.Color = Colors.C1;
        points.LegendText = "accuracy at the bin's mean confidence";
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.Gray;
        ideal.LineWidth = 1.5f;
        ideal.LegendText = "calibrated";
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.Layout.LayoutEngine = new SquareDataArea();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Reliability (expected calibration error {calibrationError:0.000})"));
        plot.XLabel("confidence: the predicted class's probability");
        plot.YLabel("accuracy");
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
