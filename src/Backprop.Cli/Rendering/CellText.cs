using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// Text laid out in a terminal's cells rather than in UTF-16 units: a wide character (Chinese, Japanese, Korean, most emoji)
/// takes two cells and a combining mark none, so padding by <see cref="string.Length"/> misaligned the tables of columns and
/// classes whose names hold them. The widths are Spectre.Console's (Unicode's East Asian Width and zero-width classes).
/// </summary>
internal static class CellText
{
    /// <summary>The cells <paramref name="text"/> takes.</summary>
    /// <remarks>
    /// Printable ASCII takes one cell a character, as Spectre.Console counts it; only other text goes through Spectre.Console,
    /// whose measure brings LINQ's generic code over runes, compiled at first use in every run that prints a table
    /// (docs/performance.md, "Start-up").
    /// </remarks>
    public static int Width(string text)
    {
        foreach (char c in text)
        {
            if (c is < ' ' or > '~') return text.GetCellWidth();
        }
        return text.Length;
    }

    /// <summary>The widest of <paramref name="texts"/>, in cells (0 for none).</summary>
    public static int MaxWidth(IEnumerable<string> texts)
    {
        int widest = 0;
        foreach (string text in texts) widest = Math.Max(widest, Width(text));
        return widest;
    }

    /// <summary><paramref name="text"/> followed by spaces up to <paramref name="width"/> cells.</summary>
    public static string PadRight(string text, int width) => text + new string(' ', Math.Max(0, width - Width(text)));

    /// <summary><paramref name="text"/> preceded by spaces up to <paramref name="width"/> cells.</summary>
    public static string PadLeft(string text, int width) => new string(' ', Math.Max(0, width - Width(text))) + text;
}
