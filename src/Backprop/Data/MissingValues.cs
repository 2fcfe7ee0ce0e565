namespace Backprop.Data;

/// <summary>The cell texts that mean "no value": empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c>, <c>?</c> (any case).</summary>
public static class MissingValues
{
    /// <summary>The markers, as written in <see cref="IsMissing"/>'s documentation.</summary>
    public static IReadOnlyList<string> Markers { get; } = ["", "NA", "N/A", "NaN", "null", "?"];

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
}
