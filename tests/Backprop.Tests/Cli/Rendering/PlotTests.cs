using System.Buffers.Binary;
using Backprop.Cli.Rendering;

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
}
