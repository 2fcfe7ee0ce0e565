using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace Backprop.Cli.Rendering;

/// <summary>The confusion matrix as a heat map: rows are true classes, columns predicted ones, each cell labelled with its count.</summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>
    /// Class names longer than this are shortened in the middle on the "actual" axis. Its labels lie level and only cost
    /// width, which a wide figure around a square matrix has to spare.
    /// </summary>
    public const int MaxRowLabelLength = 48;

    /// <summary>
    /// Class names longer than this are shortened in the middle on the "predicted" axis: there they may have to be tilted,
    /// and a tilted label costs height, which the square matrix needs. The row of the same class (rows and columns list the
    /// classes in one order) shows the name in full, up to <see cref="MaxRowLabelLength"/>.
    /// </summary>
    public const int MaxColumnLabelLength = 32;

    /// <summary>Builds the heat map of <paramref name="counts"/> (true × predicted) with class names on both axes.</summary>
    public static Plot Create(int[,] counts, IReadOnlyList<string> labels)
    {
        int classes = labels.Count;
        // Intensity is the row-normalized rate, so that rare classes stay visible.
        var rates = new double[classes, classes];
        for (int t = 0; t < classes; t++)
        {
            int total = 0;
            for (int p = 0; p < classes; p++) total += counts[t, p];
            for (int p = 0; p < classes; p++) rates[t, p] = total > 0 ? (double)counts[t, p] / total : 0;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(rates);
        // ScottPlot's Blues runs dark to light; reversed, a full cell is dark blue and an empty one near white.
        heatmap.Colormap = new LightToDark(new ScottPlot.Colormaps.Blues());
        // A fixed range, so that a colour means the same rate in every picture (not "the largest rate of this one").
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // No Extent: by default cell [t, p] is the unit square centred on (p, classes − 1 − t), row 0 on top — exactly
        // under the tick of its column and beside the tick of its row. (An Extent names the centres of the corner cells,
        // not the edges of the picture: setting it to the edges stretched every cell and halved the outer ones.)
        // Drawn as rectangles rather than one tiny bitmap, which SVG viewers smooth into a blur.
        heatmap.RenderStrategy = new Heatmap.RenderStrategies.Rectangles();
        var countLabels = new List<Text>();
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                var text = plot.Add.Text(counts[t, p].ToString(CultureInfo.InvariantCulture), p, classes - 1 - t);
                text.LabelBold = true;
                text.LabelAlignment = Alignment.MiddleCenter;
                // White on dark cells; zeros in grey, so that in a large matrix the few mistakes stand out among them.
                text.LabelFontColor = rates[t, p] > 0.5 ? Colors.White : counts[t, p] == 0 ? Colors.Gray : Colors.Black;
                countLabels.Add(text);
            }
        }
        double[] columns = Enumerable.Range(0, classes).Select(p => (double)p).ToArray();
        double[] rows = Enumerable.Range(0, classes).Select(t => (double)(classes - 1 - t)).ToArray();
        plot.Axes.Bottom.SetTicks(columns, labels.Select(l => Shorten(l, MaxColumnLabelLength)).ToArray());
        plot.Axes.Left.SetTicks(rows, labels.Select(l => Shorten(l, MaxRowLabelLength)).ToArray());
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.HideGrid();
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "share of the actual class";
        // Fixed ticks: the colour bar's panel is measured with ticks made for a guessed height and drawn with ticks made for
        // the real one; automatic ticks came out wider when drawn than when measured, and the title overlapped them.
        colorBar.Axis.TickGenerator = new NumericManual([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"]);
        plot.Title("Confusion matrix");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.Layout.LayoutEngine = new FittedLabels(classes, countLabels);
        return plot;
    }

    /// <summary>
    /// <paramref name="name"/> if it has at most <paramref name="max"/> characters, else its start and its end around "…":
    /// names that differ only at the end (a number, a suffix) stay distinct.
    /// </summary>
    internal static string Shorten(string name, int max)
    {
        if (name.Length <= max) return name;
        int head = (max - 1) / 2;
        int tail = max - 1 - head;
        return $"{name[..head].TrimEnd()}…{name[^tail..].TrimStart()}";
    }

    /// <summary>
    /// The square layout, with the tick labels and counts fitted to the cells once their size in pixels is known: column
    /// labels lie level while the widest fits its column, else they are tilted (45°, then 90°) so that neighbours cannot
    /// touch; with many classes the tick labels get smaller until a line fits a row; each count is sized to its cell.
    /// </summary>
    private sealed class FittedLabels(int classes, IReadOnlyList<Text> counts) : ILayoutEngine
    {
        private const float TickFontSize = 12;
        private const float SmallestTickFontSize = 6;
        private const float CountFontSize = 18;
        private const float SmallestCountFontSize = 6;

        /// <summary>Pixels kept free between two neighbouring labels.</summary>
        private const float Gap = 6;

        private static readonly float[] ColumnLabelAngles = [0, 45, 90];

        private readonly SquareDataArea _square = new();

        public Layout GetLayout(PixelRect figureRect, Plot plot, Paint paint)
        {
            int tilt = 0;
            float fontSize = TickFontSize;
            Layout layout;
            // Each pass tilts the column labels further or makes the labels smaller, and neither can go on for ever: at most
            // two tilts and a few font sizes.
            while (true)
            {
                float angle = ColumnLabelAngles[tilt];
                ShapeColumnLabels(plot, angle, fontSize, paint);
                layout = _square.GetLayout(figureRect, plot, paint);
                float cell = layout.DataRect.Height / classes;
                var (widest, lineHeight) = MeasureTickLabels(plot.Axes.Bottom, paint);
                bool rowsFit = lineHeight + Gap <= cell;
                bool columnsFit = ColumnLabelsFit(angle, widest, lineHeight, cell);
                if (rowsFit && columnsFit) break;
                if (!columnsFit && tilt < ColumnLabelAngles.Length - 1) tilt++;
                else if (fontSize > SmallestTickFontSize) fontSize = Math.Max(SmallestTickFontSize, fontSize * 0.85f);
                else break;
            }
            SizeCounts(layout.DataRect.Height / classes, paint);
            return layout;
        }

        /// <summary>
        /// Whether neighbouring column labels, tilted by <paramref name="angle"/>° and one cell apart, keep clear of each other:
        /// level ones side by side, tilted ones across their slant (a cell's width times the sine of the angle).
        /// </summary>
        private static bool ColumnLabelsFit(float angle, float widest, float lineHeight, float cell) =>
            angle == 0 ? widest + Gap <= cell : lineHeight + Gap <= cell * MathF.Sin(angle * MathF.PI / 180);

        /// <summary>
        /// Sets the tick font of both axes and the angle of the column labels. A tilted label hangs from its tick by its
        /// right end; ScottPlot measures the axis as if the labels were level, so the room it needs is set as a minimum.
        /// </summary>
        private static void ShapeColumnLabels(Plot plot, float angle, float fontSize, Paint paint)
        {
            IXAxis bottom = plot.Axes.Bottom;
            plot.Axes.Left.TickLabelStyle.FontSize = fontSize;
            bottom.TickLabelStyle.FontSize = fontSize;
            // ScottPlot turns text clockwise: at −45° a label rises to the right and ends at its tick.
            bottom.TickLabelStyle.Rotation = -angle;
            bottom.TickLabelStyle.Alignment = angle == 0 ? Alignment.UpperCenter : Alignment.MiddleRight;
            bottom.MinimumSize = 0;
            if (angle == 0) return;
            // The ticks are made during the layout; make them now, so that the axis can be measured with them.
            bottom.RegenerateTicks(0, paint);
            var (widest, lineHeight) = MeasureTickLabels(bottom, paint);
            float radians = angle * MathF.PI / 180;
            float hanging = widest * MathF.Sin(radians) + lineHeight / 2 * MathF.Cos(radians);
            bottom.MinimumSize = bottom.Measure(paint) - lineHeight + hanging + Gap;
        }

        private static (float Widest, float LineHeight) MeasureTickLabels(IAxis axis, Paint paint)
        {
            float widest = 0;
            float lineHeight = 0;
            foreach (Tick tick in axis.TickGenerator.Ticks)
            {
                PixelSize size = axis.TickLabelStyle.Measure(tick.Label, paint).Size;
                widest = Math.Max(widest, size.Width);
                lineHeight = Math.Max(lineHeight, size.Height);
            }
            return (widest, lineHeight);
        }

        /// <summary>One font size for every count, the largest (up to 18) at which the widest count fits well inside a cell.</summary>
        private void SizeCounts(float cell, Paint paint)
        {
            if (counts.Count == 0) return;
            Text widest = counts.MaxBy(c => c.LabelText.Length)!;
            widest.LabelFontSize = CountFontSize;
            PixelSize size = widest.LabelStyle.Measure(widest.LabelText, paint).Size;
            float scale = Math.Min(1, Math.Min(0.7f * cell / size.Width, 0.45f * cell / size.Height));
            float fontSize = Math.Max(SmallestCountFontSize, CountFontSize * scale);
            foreach (Text count in counts) count.LabelFontSize = fontSize;
        }
    }

    private sealed class LightToDark(IColormap inner) : IColormap
    {
        public string Name => $"{inner.Name} (reversed)";

        public Color GetColor(double position) => inner.GetColor(1 - position);
    }
}
