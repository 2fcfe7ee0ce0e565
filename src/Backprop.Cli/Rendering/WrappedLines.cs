using System.Text;

namespace Backprop.Cli.Rendering;

/// <summary>
/// Standard error on a terminal, and standard output where it is prose: each line longer than the terminal is broken between
/// words, its continuation indented under its text (past <c>note: </c>, <c>warning: </c>, <c>error: </c>; two columns past an
/// indent otherwise), where the terminal alone would cut words and numbers in two (<c>t</c> / <c>arget 'species'</c>). Only for
/// the eye: redirected, a note stays one line, for grep and for logs.
/// </summary>
/// <remarks>
/// Text is held until its line ends (a line is written whole or not yet); <see cref="Flush"/> writes a partial line as it is.
/// Colour sequences (<c>ESC[…m</c>) around a line take no columns. A word longer than the terminal is left to the terminal.
/// </remarks>
/// <param name="inner">The terminal's writer.</param>
/// <param name="width">The terminal's columns now (it may be resized); 0 or less when unknown, which writes lines as they are.</param>
internal sealed class WrappedLines(TextWriter inner, Func<int> width) : TextWriter
{
    private static readonly string[] Prefixes = ["note: ", "warning: ", "error: "];
    private readonly StringBuilder _line = new();

    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\n')
        {
            WriteLineWrapped(_line.ToString());
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (char c in value) Write(c);
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            inner.Write(_line.ToString());
            _line.Clear();
        }
        inner.Flush();
    }

    /// <summary>The physical lines <paramref name="line"/> takes on a terminal of <paramref name="columns"/> columns.</summary>
    internal static IEnumerable<string> Wrap(string line, int columns)
    {
        string text = line.TrimEnd('\r');
        // A colour around the whole line: kept around the whole of it (the terminal carries it across the breaks).
        string before = "", after = "";
        if (text.StartsWith("\u001b[", StringComparison.Ordinal) && text.IndexOf('m') is int end and > 0)
        {
            before = text[..(end + 1)];
            text = text[(end + 1)..];
        }
        if (text.EndsWith("\u001b[0m", StringComparison.Ordinal))
        {
            after = "\u001b[0m";
            text = text[..^after.Length];
        }
        if (columns <= 0 || CellText.Width(text) <= columns || text.Contains('\u001b'))
        {
            yield return before + text + after;
            yield break;
        }
        // An indented line (a report's) keeps its indent, and its continuation goes two further.
        int leading = text.Length - text.TrimStart(' ').Length;
        int indent = Prefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal))?.Length ?? leading + 2;
        if (indent >= columns / 2) indent = 0;
        var current = new StringBuilder(before).Append(' ', leading);
        int used = leading;
        bool first = true;
        foreach (string word in text[leading..].Split(' '))
        {
            int cells = CellText.Width(word); // a wide character takes two of the terminal's columns
            if (used > 0 && used + 1 + cells > columns)
            {
                yield return current.ToString();
                current.Clear().Append(' ', indent);
                used = indent;
                first = false;
            }
            if (used > (first ? leading : indent)) { current.Append(' '); used++; }
            current.Append(word);
            used += cells;
        }
        yield return current.Append(after).ToString();
    }

    private void WriteLineWrapped(string line)
    {
        int columns;
        try
        {
            columns = width();
        }
        catch (IOException)
        {
            columns = 0; // no terminal after all
        }
        foreach (string physical in Wrap(line, columns)) inner.WriteLine(physical);
    }
}
