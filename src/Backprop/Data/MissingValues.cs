namespace Backprop.Data;

/// <summary>The cell texts that mean "no value": empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c>, <c>?</c> (any case).</summary>
public static class MissingValues
{
    /// <summary>The markers, as written in <see cref="IsMissing"/>'s documentation.</summary>
    public static IReadOnlyList<string> Markers { get; } = ["", "NA", "N/A", "NaN", "null", "?"];

    /// <summary>
    /// Every text <see cref="IsMissing"/> accepts: each marker in every mix of upper and lower case (<c>NA</c>, <c>Na</c>,
    /// <c>nA</c>, <c>na</c>, …), 34 in all.
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
        4 => cell.Equals("null", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

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
