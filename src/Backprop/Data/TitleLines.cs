namespace Backprop.Data;

/// <summary>
/// Lines above a file's header that are not part of the table: a report's title, an export date, a bank statement's account
/// lines (<c>Statement for account 1234</c>, then <c>Date;Payee;Amount</c>). Read as the header, they made every row ragged.
/// </summary>
/// <remarks>
/// Only a file that would otherwise fail is read differently: the first line that is not blank stays the header when the rows
/// after it have as many fields, or all one more (R's row names). Otherwise the header is the first of the next
/// <see cref="MaxLines"/> lines that names at least two columns (no field empty, a number, or named twice), in the delimiter
/// it holds most (or the one given), has more fields than every line above it, and is
/// followed by rows of exactly as many (the next five, or as many as were read, one at least); the lines above it are
/// skipped, with a note, and counted in line numbers.
/// </remarks>
internal static class TitleLines
{
    /// <summary>The most lines above a header that are looked at.</summary>
    public const int MaxLines = 10;

    // How many rows after a candidate header must agree with it.
    private const int RowsToAgree = 5;

    /// <summary>
    /// How many lines that are not blank, from <paramref name="first"/> on, come before the header; 0 for none.
    /// </summary>
    /// <param name="first">The first line that is not blank.</param>
    /// <param name="ahead">The text read after it, from its line break (the last line may be cut short).</param>
    /// <param name="complete">Whether <paramref name="ahead"/> runs to the end of the data.</param>
    /// <param name="delimiter">The delimiter given, or <see langword="null"/> to detect it for each candidate header.</param>
    public static int Count(string first, string ahead, bool complete, char? delimiter)
    {
        List<string> lines = [first, .. Lines(ahead, complete)];
        if (lines.Count < 2) return 0;
        // The header stays where the rows after it agree with it, as the reader would take them: none of those files changes.
        if (Agree(lines, 0, delimiter ?? DelimiterDetection.Detect(first) ?? ';', rowNames: true)) return 0;
        for (int candidate = 1; candidate <= MaxLines && candidate < lines.Count - 1; candidate++)
        {
            if ((delimiter ?? DelimiterDetection.Detect(lines[candidate])) is char d && Agree(lines, candidate, d, rowNames: false)
                && IsHeader(lines[candidate], d) && ShorterAbove(lines, candidate, d))
            {
                return candidate;
            }
        }
        return 0;
    }

    // A header names its columns: every field a name, none a number, no name twice (a row of data is not taken for one).
    private static bool IsHeader(string line, char delimiter)
    {
        if (delimiter == CsvReadOptions.Whitespace) return false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string field in line.Split(delimiter))
        {
            string name = field.Trim().Trim('"');
            if (name.Length == 0 || TableColumn.TryParseNumber(name, DecimalSeparators.Either, out _) || !names.Add(name)) return false;
        }
        return true;
    }

    // A title is shorter than the header under it: each line above has fewer fields (a header with ragged rows under it is not
    // a title above shorter rows).
    private static bool ShorterAbove(List<string> lines, int header, char delimiter)
    {
        int fields = Fields(lines[header], delimiter);
        for (int line = 0; line < header; line++)
        {
            if (Fields(lines[line], delimiter) >= fields) return false;
        }
        return true;
    }

    // Whether the rows after `lines[header]` (up to RowsToAgree of them) have as many fields as it, at least two; or, with
    // `rowNames`, all one more.
    private static bool Agree(List<string> lines, int header, char delimiter, bool rowNames)
    {
        int fields = Fields(lines[header], delimiter);
        if (!rowNames && fields < 2) return false;
        int last = Math.Min(lines.Count - 1, header + RowsToAgree);
        bool same = true, oneMore = rowNames;
        for (int r = header + 1; r <= last; r++)
        {
            int count = Fields(lines[r], delimiter);
            same &= count == fields;
            oneMore &= count == fields + 1;
        }
        return same || oneMore;
    }

    // The lines that are not blank, split at line breaks outside quotes (as the header is read before its delimiter is known);
    // a last line without its line break is left out unless the text is complete.
    private static List<string> Lines(string text, bool complete)
    {
        var lines = new List<string>();
        var quotes = new FieldQuotes();
        int start = 0;
        for (int i = 0; i <= text.Length && lines.Count < MaxLines + RowsToAgree + 1; i++)
        {
            bool end = i == text.Length;
            if (!end)
            {
                char c = text[i];
                bool lineBreak = c is '\r' or '\n';
                quotes.Step(c, lineBreak || FieldQuotes.IsHeaderBoundary(c));
                if (!lineBreak || quotes.Quoted) continue;
            }
            else if (!complete)
            {
                break;
            }
            if (!text.AsSpan(start, i - start).IsWhiteSpace()) lines.Add(text[start..i]);
            start = i + 1;
        }
        return lines;
    }

    // The fields of one line in `delimiter`: its delimiters outside quoted fields, plus one; names apart for whitespace.
    private static int Fields(string line, char delimiter)
    {
        if (delimiter == CsvReadOptions.Whitespace) return DelimiterDetection.Names(line);
        int fields = 1;
        var quotes = new FieldQuotes();
        foreach (char c in line)
        {
            quotes.Step(c, c == delimiter);
            if (c == delimiter && !quotes.Quoted) fields++;
        }
        return fields;
    }
}
