using System.Collections.Concurrent;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>
/// The training rows of a streamed run, epoch after epoch: a reader thread reads the data chunk by chunk, leaves out the
/// held-out rows, encodes the rest with the fitted preprocessing and the task (targets standardized or one-hot, class weights)
/// and stores them as float32; the training thread draws batches from a shuffle buffer of bounded size that those rows flow
/// through. The order is the run generator's alone (the reader draws nothing), so a run is reproducible and a resumed one
/// continues as the run in one go would have.
/// </summary>
/// <remarks>
/// The buffer is the one of <c>tf.data</c>'s <c>shuffle</c>: filled with the first rows, then each row drawn from it at random is
/// replaced by the next row read; at the end of the data the rest is drawn without replacement. A row therefore leaves at most
/// a buffer's length of rows before or after its place in the file — a file sorted by its target needs a buffer that spans the
/// sorted runs, or shuffled shards. Without shuffling, rows go in file order.
/// </remarks>
internal sealed partial class StreamedBatches<T> : IBatchSource<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    // Encoded slices waiting for the training thread: enough to keep it busy while the next chunk is read and encoded.
    private const int ChunksAhead = 64;

    // Arrays of at most this many bytes are small objects to the runtime's collector, collected young and cheaply; larger ones
    // (from 85,000 bytes) are collected only with the oldest generation, so a stream of them would grow the process.
    private const int SmallObjectBytes = 80_000;

    private readonly StreamedTable _table;
    private readonly TabularPreprocessor _preprocessor;
    private readonly TrainingTask<T> _task;
    private readonly CsvReadOptions _read;
    private readonly int _width;
    private readonly int _capacity;
    private readonly int _sliceRows;
    private float[]? _buffer;
    private int _size;
    private Rng? _rng;
    private BlockingCollection<Block>? _queue;
    private CancellationTokenSource? _reading;
    private Task? _reader;
    private Block? _block;
    private int _cursor;
    private bool _exhausted;
    private bool _warned;
    private readonly TransformRemarks _warnings = new();

    public StreamedBatches(StreamedTable table, TabularPreprocessor preprocessor, TrainingTask<T> task, int featureCount, int targetColumns,
        CsvReadOptions read, long memory, int batchSize)
    {
        _table = table;
        _preprocessor = preprocessor;
        _task = task;
        _read = read;
        FeatureCount = featureCount;
        TargetColumns = targetColumns;
        Weighted = task.SampleWeights is not null;
        _width = featureCount + targetColumns + (Weighted ? 1 : 0);
        // A quarter of the stream's memory, float32 rows; at least a batch, at most every row.
        long rows = memory / 4 / (4L * _width);
        // Rows encoded at once: their inputs in T, their inputs and targets in float32, each a small object.
        _sliceRows = Math.Max(1, SmallObjectBytes / (Math.Max(Unsafe.SizeOf<T>() * (featureCount + targetColumns), 4 * _width)));
        _capacity = (int)Math.Clamp(rows, Math.Min(batchSize, table.LocalTrainingRows), Math.Min(table.LocalTrainingRows, Array.MaxLength / _width));
    }

    public long Count => _table.LocalTrainingRows;

    public int FeatureCount { get; }

    public int TargetColumns { get; }

    public bool Weighted { get; }

    /// <summary>Rows the shuffle buffer holds.</summary>
    public int BufferRows => _capacity;

    /// <summary>What encoding the streamed rows noticed (categories the preprocessing's sample had not seen), first epoch's first.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return Streamed(_warnings.Messages);
            }
        }
    }

    /// <summary>
    /// <see cref="Warnings"/> of every rank of a data-parallel run, each rank's counts of its own rows summed (every rank
    /// must call it, at the same point of the run).
    /// </summary>
    public IReadOnlyList<string> WarningsOfEveryRank(ICollective collective)
    {
        IReadOnlyList<string> mine;
        lock (_warnings) mine = _warnings.Messages;
        var all = new TransformRemarks();
        foreach (byte[] rank in collective.AllGather(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', mine))))
        {
            string text = System.Text.Encoding.UTF8.GetString(rank);
            if (text.Length > 0) all.Add(text.Split('\n'));
        }
        return Streamed(all.Messages);
    }

    // "column 'color': 3 streamed row(s) …": the rows counted are the epoch's, not a table's.
    private static string[] Streamed(IEnumerable<string> warnings) =>
        [.. warnings.Select(w => UnseenCategories().Replace(w, m => $"{m.Value}streamed ", 1))];

    public void BeginEpoch(int epoch, Rng? rng, CancellationToken cancellationToken)
    {
        EndEpoch();
        _rng = rng;
        _size = 0;
        _block = null;
        _cursor = 0;
        _exhausted = false;
        if (rng is not null)
        {
            _buffer ??= new float[(long)_capacity * _width];
        }
        _reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = new BlockingCollection<Block>(ChunksAhead);
        _queue = queue;
        CancellationToken token = _reading.Token;
        // The first epoch's warnings (a resumed run's first): later epochs read the same rows again.
        bool keepWarnings = !_warned;
        _warned = true;
        _reader = Task.Factory.StartNew(() => Read(queue, keepWarnings, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (rng is not null)
        {
            // The buffer starts full (or with every row, when it holds them all).
            while (_size < _capacity && NextIncoming() is { } row)
            {
                row.Span.CopyTo(_buffer.AsSpan(_size++ * _width, _width));
            }
        }
    }

    public int Next(Span<T> inputs, Span<T> targets, Span<T> weights, int rows)
    {
        int n = 0;
        for (; n < rows; n++)
        {
            if (_rng is null)
            {
                if (NextIncoming() is not { } next) break;
                Emit(next.Span, n, inputs, targets, weights);
                continue;
            }
            if (_size == 0) break;
            int slot = _rng.NextInt(_size);
            Span<float> drawn = _buffer.AsSpan(slot * _width, _width);
            Emit(drawn, n, inputs, targets, weights);
            if (NextIncoming() is { } incoming)
            {
                incoming.Span.CopyTo(drawn);
            }
            else
            {
                _size--;
                _buffer.AsSpan(_size * _width, _width).CopyTo(drawn);
            }
        }
        return n;
    }

    public void EndEpoch()
    {
        if (_reader is null)
        {
            return;
        }
        _reading!.Cancel();
        try
        {
            _reader.Wait();
        }
        catch (AggregateException)
        {
            // Canceled, or failed after the epoch no longer needed it: nothing to report.
        }
        _reading.Dispose();
        _queue!.Dispose();
        _reader = null;
        _reading = null;
        _queue = null;
        _block = null;
    }

    public void Dispose() => EndEpoch();

    // Row n of the batch from a stored row: inputs, targets, weight.
    private void Emit(ReadOnlySpan<float> row, int n, Span<T> inputs, Span<T> targets, Span<T> weights)
    {
        TensorPrimitives.ConvertTruncating(row[..FeatureCount], inputs.Slice(n * FeatureCount, FeatureCount));
        TensorPrimitives.ConvertTruncating(row.Slice(FeatureCount, TargetColumns), targets.Slice(n * TargetColumns, TargetColumns));
        if (Weighted)
        {
            weights[n] = T.CreateTruncating(row[^1]);
        }
    }

    // The next row read, or null at the end of the data; a failure of the reader is the caller's to see.
    private ReadOnlyMemory<float>? NextIncoming()
    {
        while (_block is null || _cursor == _block.Rows)
        {
            if (_queue is null || _exhausted)
            {
                return null;
            }
            if (!_queue.TryTake(out Block? block, Timeout.Infinite))
            {
                // The reader ended: at the end of the data, canceled, or failing (it completes the queue before its task ends).
                try
                {
                    _reader!.Wait();
                }
                catch (AggregateException e) when (e.InnerException is not OperationCanceledException)
                {
                    ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
                }
                catch (AggregateException)
                {
                    // Canceled: said below.
                }
                _reading!.Token.ThrowIfCancellationRequested();
                _block = null;
                _exhausted = true;
                return null;
            }
            _block = block;
            _cursor = 0;
        }
        return _block.Values.AsMemory(_cursor++ * _width, _width);
    }

    // The reader thread: every chunk's training rows, encoded, in file order.
    private void Read(BlockingCollection<Block> queue, bool keepWarnings, CancellationToken cancellationToken)
    {
        try
        {
            var warnings = new List<string>();
            var rows = new List<int>(StreamedTable.CsvRowsPerChunk);
            foreach ((Table chunk, long position) in _table.Share.Chunks(_read, StreamedTable.CsvRowsPerChunk))
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows.Clear();
                for (int r = 0; r < chunk.RowCount; r++)
                {
                    if (!_table.IsHeldOut(position + r)) rows.Add(r);
                }
                // Encoded a slice at a time, so that every array made for it is collected young (see SliceRows).
                for (int first = 0; first < rows.Count; first += _sliceRows)
                {
                    warnings.Clear();
                    Dataset<T> transformed = _preprocessor.Transform<T>(chunk, rows.GetRange(first, Math.Min(_sliceRows, rows.Count - first)), warnings);
                    if (keepWarnings)
                    {
                        Keep(warnings);
                    }
                    if (transformed.Count == 0)
                    {
                        continue;
                    }
                    (Dataset<T> data, T[]? weights) = _task.Encode(transformed);
                    var block = new Block(new float[data.Count * _width], data.Count);
                    for (int r = 0; r < data.Count; r++)
                    {
                        Span<float> stored = block.Values.AsSpan(r * _width, _width);
                        TensorPrimitives.ConvertTruncating<T, float>(data.Features.Row(r), stored[..FeatureCount]);
                        TensorPrimitives.ConvertTruncating<T, float>(data.Targets.Row(r), stored.Slice(FeatureCount, TargetColumns));
                        if (weights is not null) stored[^1] = float.CreateTruncating(weights[r]);
                    }
                    queue.Add(block, cancellationToken);
                }
            }
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    // The encoding's warnings of the first epoch, but the skipped rows (the first pass counted them): one per column, its
    // count of rows the epoch's (each slice says its own).
    private void Keep(List<string> warnings)
    {
        lock (_warnings)
        {
            _warnings.Add(warnings.Where(w => !w.StartsWith("skipped ", StringComparison.Ordinal)));
        }
    }

    // "column 'color': 3 " of "column 'color': 3 row(s) with a category not seen in training (such as 'teal') encoded as all zeros".
    [GeneratedRegex(@"^column '.*': \d+ (?=row\(s\) with a category)")]
    private static partial Regex UnseenCategories();

    private sealed record Block(float[] Values, int Rows);
}
