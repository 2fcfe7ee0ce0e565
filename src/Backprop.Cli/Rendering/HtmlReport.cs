using System.Globalization;
using System.Net;
using System.Text;
using Backprop.IO;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>
/// One self-contained HTML file: headings, paragraphs, tables, preformatted text and plots as inline PNG images, with its style inline;
/// nothing fetched from anywhere, no script. Every text from the data is escaped.
/// </summary>
internal sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private readonly string _title;

    public HtmlReport(string title)
    {
        _title = title;
        Heading(title, 1);
    }

    /// <summary>Whether <paramref name="path"/> ends in <c>.html</c> or <c>.htm</c> (any case).</summary>
    public static bool HasFormat(string path) => Path.GetExtension(path).ToLowerInvariant() is ".html" or ".htm";

    /// <summary>Checks that a report could be written to <paramref name="path"/>, before the work that fills it.</summary>
    /// <exception cref="BackpropException">The extension is not .html, the folder is missing, or the path is a folder.</exception>
    public static void Check(string path)
    {
        if (!HasFormat(path))
        {
            throw new BackpropException($"Expected a report file ending in .html. Received: '{path}'.");
        }
        AtomicFile.CheckTarget(path);
    }

    public HtmlReport Heading(string text, int level = 2)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Escape(text)}</h{level}>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<p>{Escape(text)}</p>\n");
        return this;
    }

    /// <summary>A list of lines, each with its kind (note, warning) as a label.</summary>
    public HtmlReport Remarks(IEnumerable<(string Kind, string Text)> lines)
    {
        _body.Append("<ul class=\"remarks\">\n");
        foreach ((string kind, string text) in lines)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<li class=\"{kind}\"><span>{Escape(kind)}</span> {Escape(text)}</li>\n");
        }
        _body.Append("</ul>\n");
        return this;
    }

    /// <summary>Text laid out in columns by spaces (the command's own tables), kept as it is.</summary>
    public HtmlReport Preformatted(string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<pre>{Escape(text.TrimEnd())}</pre>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int numericFrom = 1)
    {
        _body.Append("<table>\n<tr>");
        for (int c = 0; c < header.Count; c++) _body.Append(CultureInfo.InvariantCulture, $"<th{(c >= numericFrom ? " class=\"n\"" : "")}>{Escape(header[c])}</th>");
        _body.Append("</tr>\n");
        foreach (IReadOnlyList<string> row in rows)
        {
            _body.Append("<tr>");
            for (int c = 0; c < row.Count; c++) _body.Append(CultureInfo.InvariantCulture, $"<td{(c >= numericFrom ? " class=\"n\"" : "")}>{Escape(row[c])}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
        return this;
    }

    /// <summary>A plot as an inline PNG (a <c>data:</c> address: nothing to fetch), under a caption that is also its alternative text.</summary>
    /// <remarks>PNG rather than SVG: SkiaSharp's SVG canvas cannot draw dashed lines (it says so on the console), and a picture is what a reader needs.</remarks>
    public HtmlReport Figure(Plot plot, string caption, int width = PlotFile.Width, int height = PlotFile.Height)
    {
        using Image image = plot.GetImage(width, height);
        string png = Convert.ToBase64String(image.GetImageBytes(ImageFormat.Png));
        _body.Append(CultureInfo.InvariantCulture,
            $"<figure><img src=\"data:image/png;base64,{png}\" width=\"{width}\" height=\"{height}\" alt=\"{Escape(caption)}\"><figcaption>{Escape(caption)}</figcaption></figure>\n");
        return this;
    }

    /// <summary>The whole document.</summary>
    public string ToHtml() =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + $"<title>{Escape(_title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n<main>\n{_body}</main>\n</body>\n</html>\n";

    /// <summary>Writes the file atomically.</summary>
    /// <exception cref="BackpropException">The file cannot be written; a previous file is then unchanged.</exception>
    public void Save(string path)
    {
        Check(path);
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(ToHtml());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff; margin: 0; }
        main { max-width: 960px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.6em; border-bottom: 2px solid #1f77b4; padding-bottom: 6px; }
        h2 { font-size: 1.25em; margin-top: 1.8em; }
        pre { background: #f6f8fa; padding: 12px; overflow-x: auto; font-size: 0.9em; line-height: 1.35; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.95em; }
        th, td { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: left; }
        th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 12px 0 24px; }
        figure img { max-width: 100%; height: auto; }
        figcaption { color: #555; font-size: 0.9em; }
        ul.remarks { list-style: none; padding-left: 0; font-size: 0.95em; }
        ul.remarks li { margin: 3px 0; padding-left: 5.5em; text-indent: -5.5em; }
        ul.remarks span { display: inline-block; min-width: 5.5em; font-weight: 600; color: #1f77b4; }
        ul.remarks li.warning span { color: #c0392b; }

        """;
}
