namespace Backprop.Data;

/// <summary>How <see cref="CsvTable"/> reads a CSV file.</summary>
/// <param name="Delimiter">
/// The field delimiter; <see langword="null"/> (the default) detects it from the header line among <c>,</c> <c>;</c> <c>\t</c> <c>|</c>.
/// </param>
/// <param name="TextColumns">
/// Columns kept as text even when every value is a number (for example a numeric code to one-hot encode); by header name.
/// </param>
/// <param name="MaxColumns">Resource bound: a header with more fields is rejected (default 65,536).</param>
/// <param name="MaxRowLength">
/// Resource bound: a row (one line, or several when a quoted field holds line breaks) longer than this many characters is
/// rejected, so a file with no line breaks or an unclosed quote cannot exhaust memory (default 4 Mi characters).
/// </param>
public sealed record CsvReadOptions(
    char? Delimiter = null,
    IReadOnlyCollection<string>? TextColumns = null,
    int MaxColumns = 65_536,
    int MaxRowLength = 4 << 20)
{
    /// <summary>The delimiters tried, in order of preference, when <see cref="Delimiter"/> is <see langword="null"/>.</summary>
    public static IReadOnlyList<char> DetectedDelimiters { get; } = [',', ';', '\t', '|'];

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxColumns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRowLength);
        if (Delimiter is char d && (d is '"' or '\r' or '\n' or ' ' || char.IsLetterOrDigit(d) || char.IsSurrogate(d)))
        {
            throw new ArgumentException(
                $"Expected a delimiter that is not a quote, a line break, a space, a letter or a digit. Received: '{d}'.", nameof(Delimiter));
        }
    }
}
