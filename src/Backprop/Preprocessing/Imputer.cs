namespace Backprop.Preprocessing;

/// <summary>The values that stand in for missing cells, computed from the training data.</summary>
/// <remarks>Like scikit-learn's <c>SimpleImputer</c> with <c>strategy="mean"</c>, <c>"median"</c> and <c>"most_frequent"</c>.</remarks>
public static class Imputer
{
    /// <summary>The mean, or for <see cref="MissingValueStrategy.Median"/> the median, of the (non-missing) <paramref name="values"/>.</summary>
    /// <remarks>
    /// The median of an even count is the mean of the two middle values, as numpy's. <paramref name="values"/> is reordered
    /// by the median. <see cref="MissingValueStrategy.Error"/> gives the mean (which then is only ever used if no cell is missing).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double NumericFill(Span<double> values, MissingValueStrategy strategy)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Expected at least one value to impute from. Received: none.", nameof(values));
        }
        if (strategy == MissingValueStrategy.Median)
        {
            values.Sort();
            int middle = values.Length / 2;
            return values.Length % 2 == 1 ? values[middle] : Midpoint(values[middle - 1], values[middle]);
        }
        double sum = 0;
        foreach (double value in values) sum += value;
        if (double.IsFinite(sum))
        {
            return sum / values.Length;
        }
        // Values near the limits of double (±1.8e308) whose running sum overflows: the mean of values scaled down first.
        double scaled = 0;
        foreach (double value in values) scaled += value / values.Length;
        return scaled;
    }

    // (a + b) / 2, also when a + b alone would overflow.
    private static double Midpoint(double a, double b) => double.IsFinite(a + b) ? (a + b) / 2 : a / 2 + b / 2;

    /// <summary>The index of the most frequent value, given how often each occurs; ties go to the name first in ordinal order.</summary>
    /// <param name="counts">Occurrences of value <c>i</c>.</param>
    /// <param name="names">Name of value <c>i</c>, to break ties the same way whatever order the values were met in.</param>
    /// <returns>The index, or −1 when every count is 0.</returns>
    public static int MostFrequent(ReadOnlySpan<int> counts, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int best = -1;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            if (best < 0 || counts[i] > counts[best] || (counts[i] == counts[best] && string.CompareOrdinal(names[i], names[best]) < 0))
            {
                best = i;
            }
        }
        return best;
    }
}
