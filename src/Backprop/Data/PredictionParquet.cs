using System.Numerics;
using Backprop.Tensors;
using Parquet;
using Parquet.Schema;

namespace Backprop.Data;

/// <summary>
/// Writes predictions as a Parquet file, with the columns <see cref="PredictionCsv"/> writes, typed: <c>row</c> (int64, the
/// 1-based data row of the input), then <c>label</c> (string) and one double column of probability per class, and <c>set</c>
/// (the labels of a prediction set joined by <c>|</c>); or <c>prediction</c>, <c>lower</c> and <c>upper</c> (doubles,
/// infinite bounds as IEEE infinities).
/// </summary>
public static class PredictionParquet
{
    // Rows per row group: readers hold a row group at a time; a million rows of a few columns is some tens of megabytes.
    private const int RowsPerGroup = 1 << 20;

    /// <summary>Writes class predictions to <paramref name="stream"/>; see <see cref="PredictionCsv.WriteClasses"/> for the arguments.</summary>
    public static void WriteClasses<T>(Stream stream, IReadOnlyList<string> classNames, ReadOnlySpan<int> predicted, Matrix<T>? probabilities = null,
        bool[,]? sets = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(classNames);
        int n = predicted.Length;
        if (probabilities is not null && (probabilities.Rows != n || probabilities.Columns != classNames.Count))
        {
            throw new ArgumentException($"Expected probabilities of shape ({n}, {classNames.Count}). Received: ({probabilities.Rows}, {probabilities.Columns}).", nameof(probabilities));
        }
        if (sets is not null && (sets.GetLength(0) != n || sets.GetLength(1) != classNames.Count))
        {
            throw new ArgumentException($"Expected sets of shape ({n}, {classNames.Count}). Received: ({sets.GetLength(0)}, {sets.GetLength(1)}).", nameof(sets));
        }
        var labels = new string[n];
        for (int i = 0; i < n; i++)
        {
            if ((uint)predicted[i] >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(predicted), predicted[i], $"Expected class indices in [0, {classNames.Count}).");
            }
            labels[i] = classNames[predicted[i]];
        }
        var columns = new List<(DataField Field, Array Values)> { (new DataField<string>("label"), labels) };
        if (probabilities is not null)
        {
            string[] names = PredictionCsv.ProbabilityColumns(classNames, sets is not null);
            for (int c = 0; c < classNames.Count; c++)
            {
                var column = new double[n];
                for (int i = 0; i < n; i++) column[i] = double.CreateChecked(probabilities[i, c]);
                columns.Add((new DataField<double>(names[c]), column));
            }
        }
        if (sets is not null)
        {
            var members = new string[n];
            for (int i = 0; i < n; i++)
            {
                members[i] = string.Join('|', Enumerable.Range(0, classNames.Count).Where(c => sets[i, c]).Select(c => classNames[c]));
            }
            columns.Add((new DataField<string>("set"), members));
        }
        Write(stream, n, columns);
    }

    /// <summary>Writes regression predictions to <paramref name="stream"/>, with an interval's bounds when given.</summary>
    public static void WriteValues(Stream stream, ReadOnlySpan<double> predictions, IReadOnlyList<double>? lower = null, IReadOnlyList<double>? upper = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if ((lower is null) != (upper is null) || (lower is not null && (lower.Count != predictions.Length || upper!.Count != predictions.Length)))
        {
            throw new ArgumentException($"Expected both bounds, {predictions.Length} of each, or neither.", nameof(lower));
        }
        var columns = new List<(DataField Field, Array Values)> { (new DataField<double>("prediction"), predictions.ToArray()) };
        if (lower is not null)
        {
            columns.Add((new DataField<double>("lower"), lower.ToArray()));
            columns.Add((new DataField<double>("upper"), upper!.ToArray()));
        }
        Write(stream, predictions.Length, columns);
    }

    private static void Write(Stream stream, int rows, List<(DataField Field, Array Values)> columns)
    {
        long[] row = new long[rows];
        for (int i = 0; i < rows; i++) row[i] = i + 1;
        columns.Insert(0, (new DataField<long>("row"), row));
        // Parquet.Net's API is asynchronous; this is a write to a file stream, with no synchronization context to deadlock on.
        WriteAsync(stream, rows, columns).GetAwaiter().GetResult();
    }

    private static async Task WriteAsync(Stream stream, int rows, List<(DataField Field, Array Values)> columns)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { ["created_by"] = $"backprop predict {typeof(PredictionParquet).Assembly.GetName().Version?.ToString(3) ?? ""}".Trim() };
        for (int start = 0; start < rows || start == 0; start += RowsPerGroup)
        {
            int count = Math.Min(RowsPerGroup, rows - start);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            foreach ((DataField field, Array values) in columns)
            {
                switch (values)
                {
                    case long[] v: await group.WriteAsync<long>(field, v.AsMemory(start, count)).ConfigureAwait(false); break;
                    case double[] v: await group.WriteAsync<double>(field, v.AsMemory(start, count)).ConfigureAwait(false); break;
                    case string[] v: await group.WriteAsync(field, new ArraySegment<string>(v, start, count)).ConfigureAwait(false); break;
                    default: throw new InvalidOperationException($"No Parquet column for {values.GetType().Name}.");
                }
            }
            if (rows == 0) break;
        }
    }
}
