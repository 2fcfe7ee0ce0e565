using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// Writes predictions as a Parquet file, with the columns <see cref="PredictionCsv"/> writes, typed: <c>row</c> (int64, the
/// 1-based data row of the input), then <c>label</c> (string) and one double column of probability per class, and <c>set</c>
/// (the labels of a prediction set joined by <c>|</c>); or <c>prediction</c>, <c>lower</c> and <c>upper</c> (doubles,
/// infinite bounds as IEEE infinities).
/// </summary>
public static class PredictionParquet
{
    /// <summary>Writes class predictions to <paramref name="stream"/>; see <see cref="PredictionCsv.WriteClasses"/> for the arguments.</summary>
    public static void WriteClasses<T>(Stream stream, IReadOnlyList<string> classNames, ReadOnlySpan<int> predicted, Matrix<T>? probabilities = null,
        bool[,]? sets = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var writer = new PredictionParquetWriter(stream);
        writer.WriteClasses(classNames, predicted, probabilities, sets);
    }

    /// <summary>Writes regression predictions to <paramref name="stream"/>, with an interval's bounds when given.</summary>
    public static void WriteValues(Stream stream, ReadOnlySpan<double> predictions, IReadOnlyList<double>? lower = null, IReadOnlyList<double>? upper = null)
    {
        using var writer = new PredictionParquetWriter(stream);
        writer.WriteValues(predictions, lower, upper);
    }
}
