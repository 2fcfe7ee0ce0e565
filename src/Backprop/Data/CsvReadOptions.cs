namespace Backprop.Data;

/// <summary>How <see cref="Table"/> reads a CSV file.</summary>
/// <param name="Delimiter">
/// The field delimiter; <see langword="null"/> (the default) detects it from the header line (see <see cref="DetectedDelimiters"/>).
/// A tab, a space (each space separates two fields), <see cref="Whitespace"/> (runs of spaces and tabs), or an ASCII punctuation
/// character other than <c>"</c> and <c>#</c> (<see cref="IsDelimiter"/>).
/// </param>
/// <param name="TextColumns">
/// Columns kept as text even when every value is a number (for example a numeric code to one-hot encode); by header name.
/// </param>
/// <param name="MaxColumns">Resource bound: a header with more fields is rejected (default 65,536).</param>
/// <param name="MaxRowLength">
/// Resource bound: a row (one line, or several when a quoted field holds line breaks) longer than this many characters is
/// rejected, so a file with no line breaks or an unclosed quote cannot exhaust memory (default 4 Mi characters).
/// </param>
/// <param name="Decimal">
/// The decimal separator of the numbers, <c>'.'</c> or <c>','</c>. With <c>'.'</c> a cell with a comma is text, with <c>','</c> a
/// cell with a point is text, unless it is a number with well-formed thousands separators (commas beside a decimal point,
/// <c>1,234,567.89</c>; points beside a decimal comma, <c>4.105,74</c>; spaces beside either, <c>1 234,5</c>). <see langword="null"/> (the default) detects it: in a file
/// delimited by <c>;</c> (as Excel writes CSV where the comma is the decimal separator) a number may be written with one decimal
/// comma and no point (<c>0,538</c>, <c>-12,5</c>, <c>1,5E-3</c>; <c>1,234</c> is 1.234); the file must then write every number
/// that way or as an integer, since a point (<c>1.234</c>) could be a decimal or a thousands separator: a file of
/// both is an error that names one cell of each. Any other file's decimal separator is <c>'.'</c>.
/// </param>
/// <param name="MaxMemory">
/// Resource bound: the bytes the table may hold (8 a numeric cell, 4 a text cell). A file that would take more is refused as
/// soon as its first rows show it, by the size of the file, instead of running out of memory after reading most of it.
/// <see langword="null"/> (the default) is the memory the process can still take (the machine's, or a container's limit).
/// </param>
public sealed record CsvReadOptions(
    char? Delimiter = null,
    IReadOnlyCollection<string>? TextColumns = null,
    int MaxColumns = 65_536,
    int MaxRowLength = 4 << 20,
    char? Decimal = null,
    long? MaxMemory = null)
{
    /// <summary>
    /// The <see cref="Delimiter"/> that stands for runs of spaces and tabs, with the spaces and tabs at the start and end of a
    /// line ignored: text laid out in aligned columns. Its value is the NUL character, which a text file cannot hold (the reader
    /// refuses it), so it cannot be mistaken for a delimiter of a file.
    /// </summary>
    public const char Whitespace = '\0';

    /// <summary>
    /// The delimiters counted in the first line that is not blank (the header) when <see cref="Delimiter"/> is <see langword="null"/>:
    /// the one found most often outside quotes wins, ties going to the first in this list (the comma last: it is the one most
    /// likely to stand inside a name, as in <c>Price, EUR;Qty</c>, and in a header of decimal commas). A header with none of them
    /// whose names are separated by spaces is read with <see cref="Whitespace"/>; otherwise the file has one column.
    /// </summary>
    public static IReadOnlyList<char> DetectedDelimiters { get; } = [';', '\t', '|', ','];

    /// <summary>
    /// Whether <paramref name="delimiter"/> can delimit fields: a tab, a space, <see cref="Whitespace"/>, or an ASCII punctuation
    /// character other than the quote (it quotes fields) and <c>#</c> (the parser reserves it for comments).
    /// </summary>
    public static bool IsDelimiter(char delimiter) =>
        delimiter is '\t' or ' ' or Whitespace
        || (delimiter > ' ' && delimiter < '\x7F' && !char.IsAsciiLetterOrDigit(delimiter) && delimiter is not ('"' or '#'));

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxColumns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRowLength);
        if (MaxMemory is long memory) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memory, nameof(MaxMemory));
        if (Delimiter is char d && !IsDelimiter(d))
        {
            throw new ArgumentException(
                $"Expected a delimiter that is a tab, a space, whitespace or an ASCII punctuation character other than \" and #. Received: '{DataErrors.Quote(d.ToString())}'.",
                nameof(Delimiter));
        }
        if (Decimal is char separator && separator is not ('.' or ','))
        {
            throw new ArgumentException($"Expected the decimal separator '.' or ','. Received: '{DataErrors.Quote(separator.ToString())}'.", nameof(Decimal));
        }
    }

    /// <summary>The decimal separators the numbers of a file with <paramref name="delimiter"/> may use.</summary>
    internal DecimalSeparators DecimalSeparatorsFor(char delimiter) => Decimal switch
    {
        '.' => DecimalSeparators.Point,
        ',' => DecimalSeparators.Comma,
        _ => delimiter == ';' ? DecimalSeparators.Either : DecimalSeparators.Point,
    };

    /// <summary>How a delimiter is named in messages: <c>','</c>, <c>tab</c>, <c>space</c>, <c>whitespace</c>.</summary>
    internal static string NameOf(char delimiter) => delimiter switch
    {
        '\t' => "tab",
        ' ' => "space",
        Whitespace => "whitespace",
        _ => $"'{delimiter}'",
    };
}
