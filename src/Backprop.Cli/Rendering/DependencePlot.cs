using Backprop.Models;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Partial dependence (the mean, bold) over individual conditional expectation curves (one thin line per sampled row).</summary>
internal static class DependencePlot
{
    public static Plot Create(DependenceCurve curve)
    {
        var plot = new Plot();
        int points = curve.Average.Count;
        // A date column's days since 1970 on a date axis, which counts in OLE Automation dates (days since 1899-12-30).
        double[] xs = curve.Dates ? [.. curve.Values.Select(days => days + UnixEpochOADate)]
            : curve.Numeric ? [.. curve.Values] : [.. Enumerable.Range(0, points).Select(i => (double)i)];
        bool first = true;
        foreach (IReadOnlyList<double> row in curve.Individual)
        {
            var line = plot.Add.ScatterLine(xs, row.ToArray());
            line.Color = Colors.Gray.WithAlpha(0.35);
            line.LineWidth = 1;
            if (first) line.LegendText = "one row (ICE)";
            first = false;
        }
        var average = plot.Add.Scatter(xs, curve.Average.ToArray());
        average.Color = Colors.C0;
        average.LineWidth = 3;
        average.MarkerSize = curve.Numeric ? 0 : 9;
        average.LegendText = "mean over the rows (partial dependence)";
        string name = Printable.OneLine(curve.Column);
        if (curve.Dates)
        {
            plot.Axes.DateTimeTicksBottom();
        }
        if (!curve.Numeric)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. curve.Categories.Select((c, i) => new Tick(i, Shortened(Printable.OneLine(c))))]);
            plot.Axes.SetLimitsX(-0.5, points - 0.5);
        }
        plot.Title($"{curve.Explained} as '{Shortened(name)}' varies, the rest of each row kept");
        plot.XLabel(Shortened(name));
        plot.YLabel(curve.Explained);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>The file of <paramref name="column"/>'s plot: <c>dep.png</c> → <c>dep-COLUMN.png</c>, the name kept to letters, digits, <c>-</c> and <c>_</c>.</summary>
    public static string PathFor(string path, string column)
    {
        string safe = new([.. column.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        string stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
        return $"{stem}-{safe}{Path.GetExtension(path)}";
    }

    // 1970-01-01 as an OLE Automation date.
    private const double UnixEpochOADate = 25569;

    private static string Shortened(string text) => text.Length <= 32 ? text : text[..31] + "…";
}
