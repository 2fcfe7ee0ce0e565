using System.Globalization;
using System.Text;

namespace Backprop.Cli.Rendering;

/// <summary>Text from a file or a command line, made safe to print on one terminal line.</summary>
/// <remarks>
/// A model file or a CSV header can hold anything: a line break in a feature name splits an error message in two, and an
/// escape sequence (<c>ESC ] 0 ;</c> …) from a downloaded model can retitle or clear the user's terminal. Control characters
/// (C0, DEL, C1) and the invisible formatting characters that reorder text (bidirectional overrides) are shown escaped:
/// <c>\n</c>, <c>\t</c>, <c>\u001B</c>.
/// </remarks>
internal static class Printable
{
    /// <summary><paramref name="text"/> with every control or reordering character escaped, so it prints as one line as written.</summary>
    public static string OneLine(string? text)
    {
        if (text is null) return "";
        int first = 0;
        while (first < text.Length && !NeedsEscape(text[first])) first++;
        if (first == text.Length) return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (char c in text.AsSpan(first))
        {
            if (!NeedsEscape(c))
            {
                escaped.Append(c);
                continue;
            }
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && c is >= '\u200E' and <= '\u206F';
}
