using System.Globalization;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>The confusion matrix as a heat map: rows are true classes, columns predicted ones, each cell labelled with its count.</summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>Builds the heat map of <paramref name="counts"/> (true × predicted) with class names on both axes.</summary>
    public static Plot Create(int[,] counts, IReadOnlyList<string> labels)
    {
        int classes = labels.Count;
        // Heatmap rows are drawn top to bottom; intensity is the row-normalized rate so rare classes stay visible.
        var rates = new double[classes, classes];
        int max = 0;
        for (int t = 0; t < classes; t++)
        {
            int total = 0;
            for (int p = 0; p < classes; p++) total += counts[t, p];
            for (int p = 0; p < classes; p++)
            {
                rates[t, p] = total > 0 ? (double)counts[t, p] / total : 0;
                max = Math.Max(max, counts[t, p]);
            }
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(rates);
        // ScottPlot's Blues runs dark to light; reversed, a full cell is dark blue and an empty one near white.
        heatmap.Colormap = new LightToDark(new ScottPlot.Colormaps.Blues());
        heatmap.Extent = new CoordinateRect(-0.5, classes - 0.5, -0.5, classes - 0.5);
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                // Row t of the array is drawn at y = classes − 1 − t (top row first).
                var text = plot.Add.Text(counts[t, p].ToString(CultureInfo.InvariantCulture), p, classes - 1 - t);
                text.LabelFontSize = 18;
                text.LabelBold = true;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = rates[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        }
        double[] positions = Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. labels]);
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), [.. labels]);
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.Add.ColorBar(heatmap).Label = "fraction of true class";
        plot.Title("Confusion matrix");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        return plot;
    }

    private sealed class LightToDark(IColormap inner) : IColormap
    {
        public string Name => $"{inner.Name} (reversed)";

        public Color GetColor(double position) => inner.GetColor(1 - position);
    }
}
