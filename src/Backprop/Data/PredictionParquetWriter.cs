using System.Numerics;
using Backprop.Tensors;
using Parquet;
using Parquet.Schema;

namespace Backprop.Data;

/// <summary>
/// Writes predictions to a Parquet stream a chunk of rows at a time (<see cref="PredictionParquet"/>'s columns), so that the
/// predictions of a file larger than memory never need to be held: rows are buffered into row groups of up to
/// <see cref="RowsPerGroup"/> and written as each fills; <see cref="Dispose"/> writes the last and the file's footer.
/// </summary>
public sealed class PredictionParquetWriter : IDisposable
{
    /// <summary>Rows per row group: readers hold a row group at a time; this many rows of a few columns is some megabytes.</summary>
    public const int RowsPerGroup = 1 << 15;

    private readonly Stream _stream;
    private ParquetWriter? _writer;
    private DataField[] _fields = [];
    private List<object>[] _buffered = [];
    private int _bufferedRows;
    private long _rows;
    private bool _disposed;
    private bool _failed;

    /// <summary>Prepares to write to <paramref name="stream"/>; the columns are those of the first chunk written.</summary>
    public PredictionParquetWriter(Stream stream)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
    }

    /// <summary>Rows written so far.</summary>
    public long Rows => _rows;

    /// <summary>Writes a chunk of class predictions; see <see cref="PredictionCsv.WriteClasses"/> for the arguments. Every chunk must have the same columns.</summary>
    public void WriteClasses<T>(IReadOnlyList<string> classNames, ReadOnlySpan<int> predicted, Matrix<T>? probabilities = null, bool[,]? sets = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
        Add(n, columns);
    }

    /// <summary>Writes a chunk of regression predictions, with an interval's bounds when given. Every chunk must have the same columns.</summary>
    public void WriteValues(ReadOnlySpan<double> predictions, IReadOnlyList<double>? lower = null, IReadOnlyList<double>? upper = null)
    {
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
        Add(predictions.Length, columns);
    }

    /// <summary>
    /// Writes the rows still buffered and the file's footer (a file of no rows has its columns and one empty row group); after
    /// a failed write, only lets the stream go (the file is incomplete, and the caller's error says why).
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_failed || (_writer is null && _fields.Length == 0)) return;
        if (_bufferedRows > 0 || _rows == 0) Flush();
        _writer!.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Add(int n, List<(DataField Field, Array Values)> columns)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var row = new long[n];
        for (int i = 0; i < n; i++) row[i] = _rows + i + 1;
        columns.Insert(0, (new DataField<long>("row"), row));
        if (_fields.Length == 0)
        {
            _fields = [.. columns.Select(c => c.Field)];
            _buffered = [.. columns.Select(_ => new List<object>())];
        }
        else if (!columns.Select(c => c.Field.Name).SequenceEqual(_fields.Select(f => f.Name)))
        {
            throw new ArgumentException("Expected the columns of the first chunk written. Received: others.", nameof(columns));
        }
        for (int c = 0; c < columns.Count; c++) _buffered[c].Add(columns[c].Values);
        _bufferedRows += n;
        _rows += n;
        if (_bufferedRows >= RowsPerGroup) Flush();
    }

    // Parquet.Net's API is asynchronous; this is a write to a file stream, with no synchronization context to deadlock on.
    private void Flush()
    {
        try
        {
            FlushAsync().GetAwaiter().GetResult();
        }
        catch
        {
            // A row group half written: nothing more can be written after it.
            _failed = true;
            throw;
        }
    }

    private async Task FlushAsync()
    {
        if (_writer is null)
        {
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields.Cast<Field>().ToArray()), _stream).ConfigureAwait(false);
            _writer.CustomMetadata = new Dictionary<string, string>
            {
                ["created_by"] = $"backprop predict {typeof(PredictionParquet).Assembly.GetName().Version?.ToString(3) ?? ""}".Trim(),
            };
        }
        using ParquetRowGroupWriter group = _writer.CreateRowGroup();
        for (int c = 0; c < _fields.Length; c++)
        {
            Type type = _fields[c].ClrType;
            if (type == typeof(long))
            {
                await group.WriteAsync<long>(_fields[c], Concatenated<long>(_buffered[c])).ConfigureAwait(false);
            }
            else if (type == typeof(double))
            {
                await group.WriteAsync<double>(_fields[c], Concatenated<double>(_buffered[c])).ConfigureAwait(false);
            }
            else
            {
                await group.WriteAsync(_fields[c], new ArraySegment<string>(Concatenated<string>(_buffered[c]))).ConfigureAwait(false);
            }
            _buffered[c].Clear();
        }
        _bufferedRows = 0;
    }

    private static TValue[] Concatenated<TValue>(List<object> chunks) => [.. chunks.Cast<TValue[]>().SelectMany(chunk => chunk)];
}
