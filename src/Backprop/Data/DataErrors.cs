namespace Backprop.Data;

/// <summary>
/// The one-line messages for bad data files, in one place so they read alike:
/// what was expected, what was received, and where (file, line, column).
/// </summary>
internal static class DataErrors
{
    /// <summary>Longest cell text quoted in a message; longer ones are cut with an ellipsis.</summary>
    private const int MaxQuoted = 40;

    public static BackpropException FileNotFound(string path) => new(
        $"Expected an existing CSV or Parquet file, a folder of them, or a glob. Received: '{path}', which does not exist (full path {Path.GetFullPath(path)}).");

    public static BackpropException NotParquet(string source, Exception e) => new(
        $"Expected a Parquet file. Received: {source}, which could not be read as one ({e.Message.TrimEnd('.')}): damaged or cut short, or not Parquet?", e);

    public static BackpropException UnsupportedParquetColumn(string source, string column, string what) => new(
        $"Expected columns of numbers, text, booleans, dates or times in {source}. Received: '{Quote(column)}', {what}; " +
        "leave it out (--drop) or write it as such a column.");

    public static BackpropException NoRows(string source, IReadOnlyList<string> columns) => new(
        $"Expected data rows. Received: none in {source} (columns: {List(columns)}).");

    public static BackpropException NoShards(string pattern, string why) => new(
        $"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{pattern}'. Received: {why}.");

    public static BackpropException ShardColumns(string first, IReadOnlyList<string> expected, string shard, IReadOnlyList<string> received)
    {
        string[] missing = expected.Except(received, StringComparer.Ordinal).ToArray(), extra = received.Except(expected, StringComparer.Ordinal).ToArray();
        string difference = string.Join("; ", new[] { missing.Length > 0 ? $"missing {List(missing)}" : null, extra.Length > 0 ? $"extra {List(extra)}" : null }
            .Where(d => d is not null));
        return new($"Expected the columns of {first} in every shard. Received: {shard} with columns {List(received)} ({difference}).");
    }

    public static BackpropException ShardDecimals(string first, char firstDecimal, string shard, char decimalSeparator) => new(
        $"Expected one decimal separator in every shard. Received: '{firstDecimal}' in {first} and '{decimalSeparator}' in {shard}; choose with --decimal.");

    public static BackpropException Unreadable(string path, Exception e) => new(
        $"Expected a readable CSV file. Received: '{path}', which could not be read ({e.Message}).", e);

    public static BackpropException Empty(string source) => new(
        $"Expected a header line and data rows. Received: an empty file ({source}).");

    public static BackpropException HeaderOnly(string source, IReadOnlyList<string> columns) => new(
        $"Expected data rows after the header. Received: only the header line ({source} line 1: {List(columns)}).");

    public static BackpropException NoHeader(string source, IReadOnlyList<string> cells, int numbers) => new(
        $"Expected a header line of column names on line 1 of {source}. Received: {List(cells)}, which looks like data " +
        $"({numbers} of {cells.Count} cells are numbers); add a header line.");

    public static BackpropException DuplicateColumn(string source, string name, int first, int second) => new(
        $"Expected distinct column names in the header of {source}. Received: '{name}' as column {first + 1} and column {second + 1}.");

    public static BackpropException ControlCharacterInName(string source, int column, string name) => new(
        $"Expected column names without line breaks or other control characters in the header of {source}. " +
        $"Received: '{Quote(name)}' as column {column + 1}.");

    public static BackpropException TooManyColumns(string source, int count, int max) => new(
        $"Expected at most {max:N0} columns. Received: {count:N0} in the header of {source}.");

    public static BackpropException RowTooLong(string source, long line, int max) => new(
        $"Expected rows of at most {max:N0} characters. Received: a longer row starting at {source} line {line} " +
        "(an unclosed quote, or not a CSV file?).");

    public static BackpropException Ragged(string source, int line, int expected, int received, bool spansLines) => new(
        $"Expected {expected} fields on every row, as in the header. Received: {received} at {source} line {line}" +
        (spansLines ? " (the row spans several lines: an unclosed quote?)." : "."));

    public static BackpropException RaggedAfterRowNames(string source, int line, int firstLine, int named, int received, bool spansLines) => new(
        $"Expected {named + 1} fields on every row, as on the first (line {firstLine}: a row name, then the header's {named}). Received: {received} at {source} line {line}" +
        (spansLines ? " (the row spans several lines: an unclosed quote?)." : "."));

    public static BackpropException ValueInUnnamedColumn(string source, int column, string text, int line) => new(
        $"Expected no value in column {column}, which has no name in the header and no value in the rows read first (left out for that). " +
        $"Received: '{Quote(text)}' at {source} line {line}; give the column a name in the header.");

    public static BackpropException UnterminatedQuote(string source, long line) => new(
        $"Expected a closing quote for the quoted field that starts at {source} line {line}. Received: the end of the file (an unterminated quote).");

    public static BackpropException StandInAndStrayQuote(string source, char standIn) => new(
        $"Expected no character U+{(int)standIn:X4} (a noncharacter) in a file with quotes inside unquoted fields, which are read with its help. " +
        $"Received: both in {source}; quote those fields (\"5'11\"\"\") or remove the character.");

    public static BackpropException NotTextNul(string source, long line) => new(
        $"Expected a UTF-8 text file. Received: a NUL byte at {source} line {line} (a binary file?).");

    public static BackpropException NotTextEncoding(string source, long line, bool exact) => new(
        $"Expected a UTF-8 text file. Received: bytes that are not valid UTF-8 at {(exact ? "" : "or after ")}{source} line {line} " +
        "(a binary file, or another encoding: save it as UTF-8).");

    public static BackpropException NotNumeric(string location, string column, string value, string why) => new(
        $"Expected a number in column '{column}' ({why}). Received: '{Quote(value)}' at {location}.");

    public static BackpropException MixedDecimalSeparators(string source, (string Column, int Line, string Text) comma, (string Column, int Line, string Text) point) => new(
        $"Expected numbers written with one decimal separator in {source}. Received: '{Quote(comma.Text)}' " +
        $"({(comma.Text.Contains(',') ? "a decimal comma" : "points between thousands, as beside decimal commas")}) in column '{comma.Column}' " +
        $"at line {comma.Line} and '{Quote(point.Text)}' ({(point.Text.Contains('.') ? "a point" : "commas between thousands, as beside decimal points")}) " +
        $"in column '{point.Column}' at line {point.Line}; write them one way, or choose with --decimal (numbers written the other way are then text).");

    /// <summary>A number written in another unit than the column's: <c>€12.00</c> where amounts in <c>$</c> were expected.</summary>
    public static BackpropException OtherUnit(string location, string column, string value, string expected, string why) => new(
        $"Expected {NumberUnits.Describe(expected)} in column '{column}' ({why}). Received: '{Quote(value)}' at {location}; " +
        $"convert the column's numbers to {(NumberUnits.IsWord(expected) ? $"'{expected}'" : NumberUnits.Describe(expected))}.");

    /// <summary>A column whose numbers are written in two units: <c>$5.00</c> and <c>€3.00</c>.</summary>
    public static BackpropException MixedUnits(string column, (string Location, string Text, string Unit) first, (string Location, string Text, string Unit) other) => new(
        $"Expected numbers in one unit in column '{column}'. Received: '{Quote(first.Text)}' ({NumberUnits.Describe(first.Unit)}) at {first.Location} " +
        $"and '{Quote(other.Text)}' ({NumberUnits.Describe(other.Unit)}) at {other.Location}; convert the column to one unit.");

    public static BackpropException NotFinite(string location, string column, string value) => new(
        $"Expected finite numbers in column '{column}'. Received: '{Quote(value)}' at {location}.");

    public static BackpropException Missing(string location, string column, string value) => new(
        $"Expected no missing values (missing = error). Received: '{Quote(value)}' in column '{column}' at {location}.");

    public static BackpropException ColumnNotFound(string source, string what, string name, IReadOnlyList<string> columns)
    {
        if (columns.Count == 1 && MayHideDelimiters(columns[0]))
        {
            return new BackpropException($"Expected {what} among the columns of {source}. Received: {OneColumn(columns[0])}.");
        }
        string? other = columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
        string hint = other is null ? "" : $" (names are case-sensitive: '{other}'?)";
        return new BackpropException($"Expected {what} among the columns of {source}. Received columns: {List(columns)}{hint}.");
    }

    /// <summary>A table of one column where a target and features are needed: most likely read with the wrong delimiter.</summary>
    public static BackpropException OnlyOneColumn(string source, string name) => new(
        $"Expected a target column and feature columns in {source}. Received: {OneColumn(name)}.");

    // Said wherever a file read as one column is the problem. A name with punctuation or spaces in it may be several names
    // joined by a delimiter that detection does not know, or not the one given.
    private static string OneColumn(string name) =>
        $"one column only, '{Quote(name)}'" + (MayHideDelimiters(name) ? " (is the delimiter something else? use --delimiter)" : "");

    private static bool MayHideDelimiters(string name) => name.Any(c => c != CsvReadOptions.Whitespace && CsvReadOptions.IsDelimiter(c));

    /// <summary>
    /// A cell as quoted in a message: cut to <see cref="MaxQuoted"/> characters, with control characters (a line break inside a
    /// quoted field, a tab) written as escapes, so that the message stays one line.
    /// </summary>
    public static string Quote(string value)
    {
        string cut = value.Length <= MaxQuoted ? value : string.Concat(value.AsSpan(0, MaxQuoted), "…");
        return cut.AsSpan().ContainsAnyInRange('\0', '\x1F') ? EscapeControls(cut) : cut;
    }

    private static string EscapeControls(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    public static string List(IReadOnlyList<string> names)
    {
        const int shown = 30;
        string list = string.Join(", ", names.Take(shown).Select(Quote));
        return names.Count > shown ? $"{list}, … ({names.Count} in all)" : list;
    }
}
