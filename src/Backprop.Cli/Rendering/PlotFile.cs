using Backprop.IO;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Writes a plot as PNG or SVG, chosen by the file extension, atomically (<see cref="AtomicFile"/>).</summary>
internal static class PlotFile
{
    public const int Width = 900;
    public const int Height = 560;

    /// <summary>Whether <paramref name="path"/> ends in <c>.png</c> or <c>.svg</c> (any case).</summary>
    public static bool HasFormat(string path) => Path.GetExtension(path).ToLowerInvariant() is ".png" or ".svg";

    /// <summary>Checks that a plot could be written to <paramref name="path"/>: its format, its folder; before the work that draws it.</summary>
    /// <exception cref="BackpropException">The extension is neither, the folder is missing, or the path is a folder.</exception>
    public static void Check(string path)
    {
        if (!HasFormat(path))
        {
            throw new BackpropException($"Expected a plot file ending in .png or .svg. Received: '{path}'.");
        }
        AtomicFile.CheckTarget(path);
    }

    /// <summary>Saves <paramref name="plot"/> to <paramref name="path"/> (<c>.png</c> or <c>.svg</c>).</summary>
    /// <exception cref="BackpropException">The extension is neither, or the file cannot be written; a previous file is then unchanged.</exception>
    public static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        Check(path);
        byte[] bytes;
        if (Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            using Image image = plot.GetImage(width, height);
            bytes = image.GetImageBytes(ImageFormat.Png);
        }
        else
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height));
        }
        // Rendered in memory first: a failed render never leaves half a picture, and the file is replaced as a model is.
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
