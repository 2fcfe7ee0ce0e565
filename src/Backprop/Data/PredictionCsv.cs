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
    public static void WriteClasses<T>(TextWriter writer, IReadOnlyList<string> classNames, ReadOnlySpan<int> predicted, Matrix<T>? probabilities = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(classNames);
        if (probabilities is not null && (probabilities.Rows != predicted.Length || probabilities.Columns != classNames.Count))
        {
            throw new ArgumentException(
                $"Expected probabilities of shape ({predicted.Length}, {classNames.Count}). Received: ({probabilities.Rows}, {probabilities.Columns}).",
                nameof(probabilities));
        }
        string[] probabilityColumns = classNames.Select(c => c is "row" or "label" ? "proba_" + c : c).ToArray();
        using SepWriter csv = Open(writer);
        csv.Header.Add("row");
        csv.Header.Add("label");
        if (probabilities is not null) csv.Header.Add(probabilityColumns);
        for (int i = 0; i < predicted.Length; i++)
        {
            int label = predicted[i];
            if ((uint)label >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(predicted), label, $"Expected class indices in [0, {classNames.Count}).");
            }
            using SepWriter.Row row = csv.NewRow();
            row[0].Format(i + 1);
            row[1].Set(classNames[label]);
            if (probabilities is null) continue;
            Span<T> p = probabilities.Row(i);
            for (int c = 0; c < p.Length; c++) row[2 + c].Set(p[c].ToString(null, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Writes one line per sample of regression predictions (<c>row,prediction</c>) to <paramref name="writer"/>.</summary>
    public static void WriteValues(TextWriter writer, ReadOnlySpan<double> predictions)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using SepWriter csv = Open(writer);
        csv.Header.Add(["row", "prediction"]);
        for (int i = 0; i < predictions.Length; i++)
        {
            using SepWriter.Row row = csv.NewRow();
            row[0].Format(i + 1);
            row[1].Set(predictions[i].ToString("R", CultureInfo.InvariantCulture));
        }
    }

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

    private static SepWriter Open(TextWriter writer) =>
        new SepWriterOptions(new Sep(',')) { Escape = true, CultureInfo = CultureInfo.InvariantCulture }.To(writer, leaveOpen: true);
}
