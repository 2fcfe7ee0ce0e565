using System.Globalization;

namespace Backprop.Preprocessing;

/// <summary>Maps class labels to indices <c>0 .. C−1</c> and back.</summary>
/// <remarks>
/// String labels are sorted ordinally (culture-independent, like scikit-learn's <c>LabelEncoder</c> on strings); numeric labels
/// are sorted by value, so classes 2 and 10 come in that order, and are named by their shortest round-trip invariant text.
/// </remarks>
public sealed class LabelEncoder
{
    private readonly DistinctStrings _values;

    /// <summary>Creates an encoder for <paramref name="classes"/>, in that order (for example, loaded with a model).</summary>
    /// <exception cref="ArgumentException">A class is repeated.</exception>
    public LabelEncoder(IReadOnlyList<string> classes)
        => _values = new DistinctStrings(classes, "classes", nameof(classes));

    /// <summary>The class labels; label <c>i</c> is class index <c>i</c>.</summary>
    public IReadOnlyList<string> Classes => _values.Values;

    /// <summary>An encoder for the distinct string <paramref name="labels"/>, sorted ordinally.</summary>
    public static LabelEncoder Fit(IEnumerable<string> labels) =>
        new(DistinctStrings.SortedDistinct(labels));

    /// <summary>An encoder for the distinct numeric <paramref name="labels"/>, sorted by value.</summary>
    public static LabelEncoder FitNumeric(IEnumerable<double> labels) =>
        new(labels.Distinct().Order().Select(Name).ToArray());

    /// <summary>The label text of a numeric class: <c>3</c>, <c>-1</c>, <c>2.5</c>.</summary>
    public static string Name(double label) => label.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The index of <paramref name="label"/>, if it is one of <see cref="Classes"/>.</summary>
    public bool TryEncode(string label, out int index) => _values.TryGetIndex(label, out index);

    /// <summary>The label of class <paramref name="index"/>.</summary>
    public string Decode(int index) => Classes[index];
}
