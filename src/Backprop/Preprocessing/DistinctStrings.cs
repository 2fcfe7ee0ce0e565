namespace Backprop.Preprocessing;

/// <summary>An ordered list of distinct strings with a lookup from string to position: the vocabulary of an encoder.</summary>
internal sealed class DistinctStrings
{
    private readonly Dictionary<string, int> _index;

    /// <exception cref="ArgumentException">A value is repeated (<paramref name="what"/> names the values in the message).</exception>
    public DistinctStrings(IReadOnlyList<string> values, string what, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        _index = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
        for (int i = 0; i < values.Count; i++)
        {
            if (!_index.TryAdd(values[i], i))
            {
                throw new ArgumentException($"Expected distinct {what}. Received: '{values[i]}' twice.", parameterName);
            }
        }
        Values = values;
    }

    public IReadOnlyList<string> Values { get; }

    public bool TryGetIndex(string value, out int index) => _index.TryGetValue(value, out index);

    /// <summary>The distinct <paramref name="values"/> in ordinal (culture-independent) order.</summary>
    /// <remarks>
    /// Array.Sort rather than LINQ's Order: the values are distinct, so a stable sort gives the same order, and LINQ's sorter
    /// brings its generic code over <c>int</c> (the sort map), compiled at first use in every run (docs/performance.md, "Start-up").
    /// </remarks>
    public static string[] SortedDistinct(IEnumerable<string> values)
    {
        string[] distinct = [.. new HashSet<string>(values, StringComparer.Ordinal)];
        Array.Sort(distinct, StringComparer.Ordinal);
        return distinct;
    }
}
