using System.Buffers.Binary;
using Backprop.Cli.Rendering;
using ScottPlot;
using ScottPlot.Panels;
using ScottPlot.Plottables;

namespace Backprop.Tests.Cli.Rendering;

public sealed class PlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-plots-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Checks the PNG signature and IHDR size, and that the picture holds many distinct colours (not a blank canvas).</summary>
    private static void AssertNonTrivialPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        using var bitmap = SkiaSharp.SKBitmap.Decode(path);
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3) colours.Add((uint)bitmap.GetPixel(x, y));
        }
        Assert.True(colours.Count > 20, $"only {colours.Count} distinct colours: an empty plot?");
    }

    [Fact]
    public void Training_plot_renders_a_png_with_the_curves()
    {
        double[] loss = Enumerable.Range(0, 30).Select(e => Math.Exp(-e / 8.0)).ToArray();
        double[] validation = loss.Select(l => l * 1.2 + 0.05).ToArray();
        double[] accuracy = loss.Select(l => 1 - l / 2).ToArray();
        string path = Path.Combine(_folder, "training.png");
        PlotFile.Save(TrainingPlot.Create(loss, validation, accuracy, "validation accuracy"), path);
        AssertNonTrivialPng(path, PlotFile.Width, PlotFile.Height);
    }

    [Fact]
    public void Svg_is_chosen_by_extension()
    {
        string path = Path.Combine(_folder, "training.svg");
        PlotFile.Save(TrainingPlot.Create([1.0, 0.5, 0.25], null, null, null), path);
        string text = File.ReadAllText(path);
        Assert.Contains("<svg", text);
        Assert.Contains("epoch", text);
    }

    [Fact]
    public void Confusion_matrix_and_regression_plots_render()
    {
        string confusion = Path.Combine(_folder, "confusion.png");
        PlotFile.Save(ConfusionMatrixPlot.Create(new[,] { { 50, 0, 0 }, { 0, 47, 3 }, { 0, 2, 48 } }, ["setosa", "versicolor", "virginica"]), confusion);
        AssertNonTrivialPng(confusion, PlotFile.Width, PlotFile.Height);
        string scatter = Path.Combine(_folder, "regression.png");
        double[] actual = Enumerable.Range(0, 100).Select(i => i * 10.0).ToArray();
        PlotFile.Save(PredictedVsActualPlot.Create(actual, actual.Select((a, i) => a + (i % 7 - 3) * 20.0).ToArray()), scatter);
        AssertNonTrivialPng(scatter, PlotFile.Width, PlotFile.Height);
    }

    [Fact]
    public void Unknown_extension_or_missing_folder_is_a_clear_error()
    {
        var plot = TrainingPlot.Create([1.0], null, null, null);
        Assert.Contains("ending in .png or .svg", Assert.Throws<BackpropException>(() => PlotFile.Save(plot, Path.Combine(_folder, "x.jpg"))).Message);
        Assert.Contains("does not exist", Assert.Throws<BackpropException>(() => PlotFile.Save(plot, Path.Combine(_folder, "no", "x.png"))).Message);
    }

    // The plot model after a render at the size the CLI writes: ticks, layout and fitted labels are settled only then.
    private static RenderDetails Render(Plot plot)
    {
        using var image = plot.GetImage(PlotFile.Width, PlotFile.Height);
        return plot.LastRender;
    }

    private static int[,] Diagonal(int classes)
    {
        var counts = new int[classes, classes];
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++) counts[t, p] = t == p ? 40 + t : (t + 2 * p) % 3;
        }
        return counts;
    }

    public static TheoryData<int, int> ClassCounts => new() { { 2, 5 }, { 3, 10 }, { 10, 7 }, { 3, 25 }, { 10, 25 } };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Confusion_matrix_cells_are_unit_squares_centred_on_their_ticks_with_their_counts(int classes, int nameLength)
    {
        string[] labels = Enumerable.Range(0, classes).Select(c => $"class {c}".PadRight(nameLength, 'x')).ToArray();
        int[,] counts = Diagonal(classes);
        var plot = ConfusionMatrixPlot.Create(counts, labels);
        Render(plot);

        var heatmap = plot.GetPlottables<Heatmap>().Single();
        Assert.Equal(new CoordinateRect(-0.5, classes - 0.5, -0.5, classes - 0.5), heatmap.GetAlignedExtent());
        Assert.Equal(1, heatmap.CellWidth, 12);
        Assert.Equal(1, heatmap.CellHeight, 12);
        var columns = plot.Axes.Bottom.TickGenerator.Ticks;
        var rows = plot.Axes.Left.TickGenerator.Ticks;
        Assert.Equal(labels, columns.Select(t => t.Label));
        Assert.Equal(Enumerable.Range(0, classes).Select(p => (double)p), columns.Select(t => t.Position));
        Assert.Equal(labels, rows.Select(t => t.Label));
        Assert.Equal(Enumerable.Range(0, classes).Select(t => (double)(classes - 1 - t)), rows.Select(t => t.Position));
        var texts = plot.GetPlottables<Text>().ToList();
        for (int t = 0; t < classes; t++)
        {
            int total = Enumerable.Range(0, classes).Sum(p => counts[t, p]);
            for (int p = 0; p < classes; p++)
            {
                // The whole unit square around the crossing of column p's tick and row t's tick is cell [t, p], and its
                // count is written at that crossing, centred.
                var centre = new Coordinates(columns[p].Position, rows[t].Position);
                foreach (var (dx, dy) in new[] { (0.0, 0.0), (-0.49, -0.49), (0.49, 0.49), (-0.49, 0.49), (0.49, -0.49) })
                {
                    Assert.Equal((double)counts[t, p] / total, heatmap.GetValue(new Coordinates(centre.X + dx, centre.Y + dy)), 12);
                }
                var count = Assert.Single(texts, x => x.Location == centre);
                Assert.Equal(counts[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), count.LabelText);
                Assert.Equal(Alignment.MiddleCenter, count.LabelAlignment);
            }
        }
        Assert.Equal(new AxisLimits(-0.5, classes - 0.5, -0.5, classes - 0.5), plot.Axes.GetLimits());
    }

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Confusion_matrix_is_square_and_its_labels_and_counts_keep_clear_of_each_other(int classes, int nameLength)
    {
        string[] labels = Enumerable.Range(0, classes).Select(c => $"class {c}".PadRight(nameLength, 'x')).ToArray();
        var plot = ConfusionMatrixPlot.Create(Diagonal(classes), labels);
        RenderDetails render = Render(plot);
        using var paint = Paint.NewDisposablePaint();

        PixelRect data = render.DataRect;
        Assert.Equal(data.Width, data.Height, 0.5);
        float cell = data.Width / classes;
        var (columnWidest, columnLine) = Widest(plot.Axes.Bottom, paint);
        var (_, rowLine) = Widest(plot.Axes.Left, paint);
        Assert.True(rowLine < cell, $"row labels {rowLine} px high in rows {cell} px high");
        // Neighbouring column labels: level ones side by side, tilted ones (hanging from their tick by their right end)
        // across their slant, which is a cell's width times the sine of the angle.
        double angle = -plot.Axes.Bottom.TickLabelStyle.Rotation * Math.PI / 180;
        if (angle == 0)
        {
            Assert.True(columnWidest < cell, $"level column labels {columnWidest} px wide in columns {cell} px wide");
        }
        else
        {
            Assert.Equal(Alignment.MiddleRight, plot.Axes.Bottom.TickLabelStyle.Alignment);
            Assert.True(columnLine < cell * Math.Sin(angle), $"labels tilted {angle} rad, {columnLine} px high, {cell} px apart");
        }
        // The column labels and the axis title below them fit in the bottom panel, which fits in the figure.
        float hanging = (float)(columnWidest * Math.Sin(angle) + columnLine / 2 * Math.Cos(angle));
        float title = plot.Axes.Bottom.Label.Measure(plot.Axes.Bottom.Label.Text, paint).Height;
        float bottomPanel = render.Layout.PanelSizes[plot.Axes.Bottom];
        Assert.True(bottomPanel >= plot.Axes.Bottom.MajorTickStyle.Length + Math.Max(hanging, columnLine) + title, $"bottom panel {bottomPanel} px");
        Assert.True(data.Bottom + bottomPanel <= PlotFile.Height);
        // Counts: one size, inside their cells.
        var texts = plot.GetPlottables<Text>().ToList();
        Assert.Single(texts.Select(t => t.LabelFontSize).Distinct());
        foreach (var text in texts)
        {
            PixelSize size = text.LabelStyle.Measure(text.LabelText, paint).Size;
            Assert.True(size.Width < cell && size.Height < cell, $"count '{text.LabelText}' {size} in cells of {cell} px");
        }
    }

    private static (float Widest, float LineHeight) Widest(IAxis axis, Paint paint)
    {
        var sizes = axis.TickGenerator.Ticks.Select(t => axis.TickLabelStyle.Measure(t.Label, paint).Size).ToList();
        return (sizes.Max(s => s.Width), sizes.Max(s => s.Height));
    }

    [Fact]
    public void Long_class_names_are_shortened_in_the_middle_and_the_rows_keep_more_of_them()
    {
        string[] labels = [new string('a', 30) + " first", new string('a', 30) + " second", "short"];
        var plot = ConfusionMatrixPlot.Create(Diagonal(3), labels);
        Render(plot);
        string[] columns = plot.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label).ToArray();
        string[] rows = plot.Axes.Left.TickGenerator.Ticks.Select(t => t.Label).ToArray();
        Assert.Equal(labels, rows);   // 36 and 37 characters: within the rows' limit
        Assert.All(columns, c => Assert.True(c.Length <= ConfusionMatrixPlot.MaxColumnLabelLength, c));
        Assert.Equal(3, columns.Distinct().Count());
        Assert.EndsWith(" first", columns[0]);
        Assert.StartsWith("aaaa", columns[0]);
        Assert.Contains("…", columns[0]);
        Assert.Equal("short", columns[2]);
        Assert.Equal("0123…6789", ConfusionMatrixPlot.Shorten("01234567890123456789", 9));
        Assert.Equal("abc", ConfusionMatrixPlot.Shorten("abc", 3));
    }

    [Fact]
    public void Confusion_matrix_colour_bar_has_room_for_its_ticks_and_its_title()
    {
        var plot = ConfusionMatrixPlot.Create(Diagonal(3), ["setosa", "versicolor", "virginica"]);
        RenderDetails render = Render(plot);
        using var paint = Paint.NewDisposablePaint();
        var colorBar = plot.Axes.GetPanels().OfType<ColorBar>().Single();
        var heatmap = plot.GetPlottables<Heatmap>().Single();
        Assert.Equal(new ScottPlot.Range(0, 1), heatmap.GetRange());
        // The ticks drawn (made for the real height) are the ones the panel was measured with, and they and the title fit
        // side by side: ticks start a tick mark and 5 px from the bar, the title ends 2 px inside the panel's edge.
        var ticks = colorBar.Axis.TickGenerator.Ticks;
        Assert.Equal(["0%", "25%", "50%", "75%", "100%"], ticks.Select(t => t.Label));
        float widestTick = ticks.Max(t => colorBar.Axis.TickLabelStyle.Measure(t.Label, paint).Width);
        float title = colorBar.LabelStyle.Measure(colorBar.Label, paint).Height;
        float needed = colorBar.Width + colorBar.Axis.MajorTickStyle.Length + 5 + widestTick + title + 2;
        Assert.True(render.Layout.PanelSizes[colorBar] >= needed, $"colour bar panel {render.Layout.PanelSizes[colorBar]} px, needs {needed}");
    }

    [Fact]
    public void Training_loss_falling_by_orders_of_magnitude_is_drawn_on_a_log_axis()
    {
        double[] loss = Enumerable.Range(0, 100).Select(e => Math.Pow(10, -3.0 * e / 99)).ToArray();   // 1 → 0.001
        double[] validation = loss.Select(l => l * 1.5).ToArray();
        double[] accuracy = Enumerable.Range(0, 100).Select(e => 0.970 + 0.002 * (e % 2)).ToArray();
        var plot = TrainingPlot.Create(loss, validation, accuracy, "validation accuracy");
        Render(plot);

        Assert.Contains("log", plot.Axes.Left.Label.Text, StringComparison.Ordinal);
        var curves = plot.GetPlottables<Scatter>().ToList();
        var trainingPoints = curves.Single(c => c.LegendText == "training loss").Data.GetScatterPoints();
        Assert.Equal(loss.Select(Math.Log10), trainingPoints.Select(p => p.Y));
        // The whole range of both losses is in view, and every decade on it is labelled with its loss.
        Assert.True(plot.Axes.Left.Min <= Math.Log10(0.001) && plot.Axes.Left.Max >= Math.Log10(1.5));
        var labelled = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToDictionary(t => t.Label, t => t.Position);
        foreach (var (label, position) in new[] { ("1", 0.0), ("0.1", -1.0), ("0.01", -2.0), ("0.001", -3.0) })
        {
            Assert.Equal(position, labelled[label], 12);
        }
    }

    [Fact]
    public void Training_loss_within_a_decade_stays_on_a_linear_axis_from_zero()
    {
        double[] loss = Enumerable.Range(0, 30).Select(e => 0.3 + 0.5 * Math.Exp(-e / 8.0)).ToArray();
        var plot = TrainingPlot.Create(loss, null, null, null);
        Render(plot);
        Assert.Equal("loss", plot.Axes.Left.Label.Text);
        Assert.Equal(0, plot.Axes.Left.Min);
        Assert.True(plot.Axes.Left.Max >= loss.Max());
        Assert.Equal(loss, plot.GetPlottables<Scatter>().Single().Data.GetScatterPoints().Select(p => p.Y));
        Assert.True(TrainingPlot.UsesLogScale([1.0, 0.09]));
        Assert.False(TrainingPlot.UsesLogScale([1.0, 0.1, 0, double.NaN]));
    }

    [Fact]
    public void Training_metric_axis_spans_zero_to_one_whatever_the_noise_and_a_negative_r2_at_most_down_to_minus_one()
    {
        double[] loss = [1.0, 0.8, 0.7, 0.65];
        var noisy = TrainingPlot.Create(loss, loss, [0.970, 0.972, 0.970, 0.971], "validation accuracy");
        Render(noisy);
        Assert.True(noisy.Axes.Right.Min <= 0 && noisy.Axes.Right.Max >= 1, $"{noisy.Axes.Right.Min} … {noisy.Axes.Right.Max}");
        Assert.True(noisy.Axes.Right.Max - noisy.Axes.Right.Min < 1.1);
        Assert.Equal("validation accuracy", noisy.Axes.Right.Label.Text);

        var negative = TrainingPlot.Create(loss, loss, [-40, -0.5, 0.2, 0.6], "validation R²");
        Render(negative);
        Assert.True(negative.Axes.Right.Min <= -1 && negative.Axes.Right.Min > -1.2, $"{negative.Axes.Right.Min}");
        Assert.True(negative.Axes.Right.Max >= 1);
    }

    [Fact]
    public void Training_legend_is_below_the_data_area_and_epochs_start_at_zero()
    {
        double[] loss = Enumerable.Range(0, 50).Select(e => Math.Exp(-e / 10.0)).ToArray();
        var plot = TrainingPlot.Create(loss, loss, loss.Select(l => 1 - l).ToArray(), "validation accuracy");
        RenderDetails render = Render(plot);
        using var paint = Paint.NewDisposablePaint();

        Assert.False(plot.Legend.IsVisible);   // the legend drawn inside the data area
        var panel = plot.Axes.GetPanels().OfType<LegendPanel>().Single();
        PixelRect legend = panel.GetPanelRect(render.DataRect, render.Layout.PanelSizes[panel], render.Layout.PanelOffsets[panel], paint);
        Assert.True(legend.Top >= render.DataRect.Bottom, $"legend {legend}, data {render.DataRect}");
        Assert.True(legend.Bottom <= PlotFile.Height);
        Assert.Equal(["training loss", "validation loss", "validation accuracy"], panel.Legend.GetItems().Select(i => i.LabelText));
        Assert.All(plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor), t => Assert.True(t.Position >= 0, $"a labelled tick at epoch {t.Position}"));
        Assert.True(plot.Axes.Bottom.Min >= -1 && plot.Axes.Bottom.Max >= 49);
    }

    [Fact]
    public void Predicted_vs_actual_has_equal_ranges_on_a_square_with_the_diagonal_across_it()
    {
        double[] actual = [10, 20, 400, double.NaN];
        double[] predicted = [15, -30, 380, 7];
        var plot = PredictedVsActualPlot.Create(actual, predicted);
        RenderDetails render = Render(plot);

        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal(limits.Left, limits.Bottom, 9);
        Assert.Equal(limits.Right, limits.Top, 9);
        Assert.True(limits.Left < -30 && limits.Right > 400, $"{limits}");
        Assert.Equal(render.DataRect.Width, render.DataRect.Height, 0.5);
        var ideal = plot.GetPlottables<LinePlot>().Single();
        Assert.Equal(new Coordinates(limits.Left, limits.Left), ideal.Start);
        Assert.Equal(new Coordinates(limits.Right, limits.Right), ideal.End);
        Assert.False(plot.Legend.IsVisible);
        Assert.Single(plot.Axes.GetPanels().OfType<LegendPanel>());
    }
}
