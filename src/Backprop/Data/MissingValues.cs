namespace Backprop.Data;

/// <summary>
/// The cell texts that mean "no value": empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c>, <c>?</c>, and the error values
/// a spreadsheet writes for a formula without one (<see cref="ExcelErrors"/>: <c>#N/A</c>, <c>#DIV/0!</c>, …); any case.
/// </summary>
public static class MissingValues
{
    /// <summary>
    /// Excel's error values, as a CSV file exported from a spreadsheet holds them where a formula has no value (a lookup that
    /// found nothing, a division by zero): missing, not text, or a column of numbers with a few would turn to text.
    /// </summary>
    public static IReadOnlyList<string> ExcelErrors { get; } = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"];

    /// <summary>The markers, as written in <see cref="IsMissing"/>'s documentation.</summary>
    public static IReadOnlyList<string> Markers { get; } = ["", "NA", "N/A", "NaN", "null", "?", .. ExcelErrors];

    /// <summary>
    /// Every text <see cref="IsMissing"/> accepts: each marker in every mix of upper and lower case (<c>NA</c>, <c>Na</c>,
    /// <c>nA</c>, <c>na</c>, …), 174 in all.
    /// </summary>
    /// <remarks>For a consumer that can only compare exactly, such as an ONNX graph looking a cell up in a list of strings.</remarks>
    public static IReadOnlyList<string> Spellings { get; } = [.. Markers.SelectMany(CaseVariants).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="cell"/> (already trimmed of spaces) is a missing-value marker.</summary>
    public static bool IsMissing(ReadOnlySpan<char> cell) => cell.Length switch
    {
        0 => true,
        1 => cell[0] == '?',
        2 => cell.Equals("NA", StringComparison.OrdinalIgnoreCase),
        3 => cell.Equals("N/A", StringComparison.OrdinalIgnoreCase) || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase),
        4 => cell.Equals("null", StringComparison.OrdinalIgnoreCase) || cell.Equals("#N/A", StringComparison.OrdinalIgnoreCase),
        >= 5 and <= 7 => cell[0] == '#' && IsExcelError(cell),
        _ => false,
    };

    /// <summary>Whether <paramref name="cell"/> is one of <see cref="ExcelErrors"/> (any case).</summary>
    public static bool IsExcelError(ReadOnlySpan<char> cell)
    {
        if (cell.Length is < 4 or > 7 || cell[0] != '#') return false;
        foreach (string error in ExcelErrors)
        {
            if (cell.Equals(error, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // "NaN" -> NaN, NaN, naN, ...: each letter in either case (2^letters texts).
    private static IEnumerable<string> CaseVariants(string marker)
    {
        IEnumerable<string> variants = [""];
        foreach (char c in marker)
        {
            char[] cases = char.IsAsciiLetter(c) ? [char.ToLowerInvariant(c), char.ToUpperInvariant(c)] : [c];
            variants = variants.SelectMany(prefix => cases.Select(next => prefix + next)).ToArray();
        }
        return variants;
    }
}
