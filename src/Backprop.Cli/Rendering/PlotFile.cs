using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Writes a plot as PNG or SVG, chosen by the file extension, atomically.</summary>
internal static class PlotFile
{
    public const int Width = 900;
    public const int Height = 560;

    /// <summary>Saves <paramref name="plot"/> to <paramref name="path"/> (<c>.png</c> or <c>.svg</c>).</summary>
    /// <exception cref="BackpropException">The extension is neither, or the file cannot be written.</exception>
    public static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
        {
            throw new BackpropException($"Expected a plot file ending in .png or .svg. Received: '{path}'.");
        }
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new BackpropException($"Cannot write the plot '{path}': folder '{folder}' does not exist.");
        }
        // Render into a temporary file beside the target, then rename: a failed render never leaves half a picture.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp{extension}");
        try
        {
            if (extension == ".png") plot.SavePng(temporary, width, height);
            else plot.SaveSvg(temporary, width, height);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new BackpropException($"Cannot write the plot '{path}': {e.Message}", e);
        }
    }
}
