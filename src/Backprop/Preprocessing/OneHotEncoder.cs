using System.Numerics;

namespace Backprop.Preprocessing;

/// <summary>Encodes a categorical value as one input per category: 1 for its own, 0 for the others.</summary>
/// <remarks>
/// Categories are kept in ordinal (culture-independent) order, so the encoding does not depend on row order.
/// An unknown category encodes as all zeros, like scikit-learn's <c>OneHotEncoder(handle_unknown="ignore")</c>; the caller counts them.
/// </remarks>
public sealed class OneHotEncoder
{
    private readonly DistinctStrings _values;

    /// <summary>Creates an encoder for <paramref name="categories"/>, in that order (for example, loaded with a model).</summary>
    /// <exception cref="ArgumentException">A category is repeated.</exception>
    public OneHotEncoder(IReadOnlyList<string> categories)
        => _values = new DistinctStrings(categories, "categories", nameof(categories));

    /// <summary>The categories; category <c>i</c> sets input <c>i</c>.</summary>
    public IReadOnlyList<string> Categories => _values.Values;

    /// <summary>An encoder for the distinct <paramref name="values"/>, sorted ordinally.</summary>
    public static OneHotEncoder Fit(IEnumerable<string> values) =>
        new(DistinctStrings.SortedDistinct(values));

    /// <summary>The index of <paramref name="category"/>, or −1 when it was not seen in training.</summary>
    public int IndexOf(string category) => _values.TryGetIndex(category, out int index) ? index : -1;

    /// <summary>Writes the one-hot encoding of category <paramref name="index"/> (−1: unknown, all zeros) to <paramref name="destination"/>.</summary>
    /// <remarks>destination (Categories.Count)</remarks>
    public void Encode<T>(Span<T> destination, int index) where T : unmanaged, INumberBase<T>
    {
        if (destination.Length != Categories.Count)
        {
            throw new ArgumentException($"Expected a destination of {Categories.Count} values. Received: {destination.Length}.", nameof(destination));
        }
        destination.Clear();
        if (index >= 0) destination[index] = T.One;
    }
}
