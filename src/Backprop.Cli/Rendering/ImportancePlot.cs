using Backprop.Models;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Permutation importance as horizontal bars, most important on top, each with its confidence interval.</summary>
internal static class ImportancePlot
{
    /// <summary>At most this many columns are drawn (the most important): more would not be legible.</summary>
    public const int MaxColumns = 30;

    public static Plot Create(IReadOnlyList<ColumnImportance> importance, string measure)
    {
        var plot = new Plot();
        ColumnImportance[] shown = [.. importance.Take(MaxColumns)];
        var ticks = new List<Tick>();
        for (int i = 0; i < shown.Length; i++)
        {
            // The most important at the top: position n − 1 − i.
            double position = shown.Length - 1 - i;
            ColumnImportance c = shown[i];
            var bar = new Bar
            {
                Position = position,
                Value = c.Mean,
                ValueBase = 0,
                Error = 0,
                FillColor = c.Mean >= 0 ? Colors.C0 : Colors.Gray,
                Orientation = Orientation.Horizontal,
            };
            plot.Add.Bar(bar);
            // The interval as a line across the bar's end.
            var interval = plot.Add.Line(c.Low, position, c.High, position);
            interval.Color = Colors.Black;
            interval.LineWidth = 2;
            var label = Printable.OneLine(c.Column);
            ticks.Add(new Tick(position, label.Length > 28 ? label[..27] + "…" : label));
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Title("Permutation importance");
        plot.XLabel($"{measure} when the column is shuffled (bars: mean; lines: 95% interval)");
        plot.Axes.Margins(left: 0.05, right: 0.05, bottom: 0.02, top: 0.02);
        return plot;
    }
}
