using System.Globalization;
using System.Numerics;
using Backprop.Tensors;
using nietras.SeparatedValues;

namespace Backprop.Data;

/// <summary>Writes predictions as CSV: <c>row,label</c>, then with probabilities one column per class, named after the class.</summary>
/// <remarks>
/// <c>row</c> is the 1-based data row of the input file (the header is not a row). Labels are the original class strings,
/// quoted when they hold a comma, a quote or a line break. A class named <c>row</c> or <c>label</c> gets the probability column
/// <c>proba_row</c> or <c>proba_label</c>, so that header names stay distinct. Numbers are written in invariant culture, round-trip.
/// </remarks>
public static class PredictionCsv
{
    /// <summary>Writes one line per sample of class predictions to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write (for example stdout).</param>
    /// <param name="classNames">The class labels, index by index.</param>
    /// <param name="predicted">The predicted class index of each sample.</param>
    /// <param name="probabilities">Optional <c>(N, C)</c> class probabilities, written after the label.</param>
    /// <param name="sets">Optional <c>(N, C)</c> prediction sets (conformal), written last as the column <c>set</c>: the labels in the set joined by <c>|</c>.</param>
    /// <param name="firstRow">The <c>row</c> of the first sample: 1, or the next row of a file written a chunk of rows at a time.</param>
    /// <param name="header">Whether to write the header line (not before the rows of a later chunk).</param>
    public static void WriteClasses<T>(TextWriter writer, IReadOnlyList<string> classNames, ReadOnlySpan<int> predicted, Matrix<T>? probabilities = null,
        bool[,]? sets = null, long firstRow = 1, bool header = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sets is not null && (sets.GetLength(0) != predicted.Length || sets.GetLength(1) != classNames.Count))
        {
            throw new ArgumentException($"Expected sets of shape ({predicted.Length}, {classNames.Count}). Received: ({sets.GetLength(0)}, {sets.GetLength(1)}).", nameof(sets));
        }
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(classNames);
        if (probabilities is not null && (probabilities.Rows != predicted.Length || probabilities.Columns != classNames.Count))
        {
            throw new ArgumentException(
                $"Expected probabilities of shape ({predicted.Length}, {classNames.Count}). Received: ({probabilities.Rows}, {probabilities.Columns}).",
                nameof(probabilities));
        }
        string[] probabilityColumns = ProbabilityColumns(classNames, sets is not null);
        using SepWriter csv = Open(writer, header);
        csv.Header.Add("row");
        csv.Header.Add("label");
        if (probabilities is not null) csv.Header.Add(probabilityColumns);
        if (sets is not null) csv.Header.Add("set");
        var members = new List<string>();
        for (int i = 0; i < predicted.Length; i++)
        {
            int label = predicted[i];
            if ((uint)label >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(predicted), label, $"Expected class indices in [0, {classNames.Count}).");
            }
            using SepWriter.Row row = csv.NewRow();
            row[0].Format(firstRow + i);
            row[1].Set(classNames[label]);
            if (probabilities is not null)
            {
                Span<T> p = probabilities.Row(i);
                for (int c = 0; c < p.Length; c++) row[2 + c].Set(p[c].ToString(null, CultureInfo.InvariantCulture));
            }
            if (sets is not null)
            {
                members.Clear();
                for (int c = 0; c < classNames.Count; c++)
                {
                    if (sets[i, c]) members.Add(classNames[c]);
                }
                row["set"].Set(string.Join('|', members));
            }
        }
    }

    /// <summary>
    /// Writes one line per sample of regression predictions (<c>row,prediction</c>) to <paramref name="writer"/>, with a prediction
    /// interval's <c>lower</c> and <c>upper</c> bounds when given (infinite bounds as <c>-inf</c> and <c>inf</c>).
    /// </summary>
    /// <remarks><paramref name="firstRow"/> and <paramref name="header"/>: as for <see cref="WriteClasses"/>.</remarks>
    public static void WriteValues(TextWriter writer, ReadOnlySpan<double> predictions, IReadOnlyList<double>? lower = null, IReadOnlyList<double>? upper = null,
        long firstRow = 1, bool header = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if ((lower is null) != (upper is null) || (lower is not null && (lower.Count != predictions.Length || upper!.Count != predictions.Length)))
        {
            throw new ArgumentException($"Expected both bounds, {predictions.Length} of each, or neither.", nameof(lower));
        }
        using SepWriter csv = Open(writer, header);
        csv.Header.Add(["row", "prediction"]);
        if (lower is not null) csv.Header.Add(["lower", "upper"]);
        for (int i = 0; i < predictions.Length; i++)
        {
            using SepWriter.Row row = csv.NewRow();
            row[0].Format(firstRow + i);
            row[1].Set(Number(predictions[i]));
            if (lower is null) continue;
            row[2].Set(Number(lower[i]));
            row[3].Set(Number(upper![i]));
        }
    }

    /// <summary>The probability columns' names: the classes', <c>proba_</c> before one that is also the name of another column.</summary>
    internal static string[] ProbabilityColumns(IReadOnlyList<string> classNames, bool withSets) =>
        classNames.Select(c => c is "row" or "label" || (c == "set" && withSets) ? "proba_" + c : c).ToArray();

    private static string Number(double value) => double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes a file all at once or not at all: <paramref name="write"/> fills a temporary file beside <paramref name="path"/>,
    /// which then replaces it, so that a failure never leaves half a file.
    /// </summary>
    /// <exception cref="BackpropException">The file cannot be written (missing directory, no permission, ...).</exception>
    public static void WriteFileAtomically(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        IO.AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            write(writer);
        });
    }

    private static SepWriter Open(TextWriter writer, bool header) =>
        new SepWriterOptions(new Sep(',')) { Escape = true, CultureInfo = CultureInfo.InvariantCulture, WriteHeader = header }.To(writer, leaveOpen: true);
}
