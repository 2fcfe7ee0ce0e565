using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>
/// The first pass of a streamed run (<see cref="TabularTrainingOptions.Stream"/>): reads the data once, chunk by chunk, and keeps
/// what training needs besides the rows themselves — a uniform sample of the training rows to fit the preprocessing on, the
/// validation rows (all of them, or a uniform sample of them when they do not fit), and the counts. Every later pass
/// (<see cref="StreamedBatches{T}"/>) holds out the same rows: a row is a validation row when the key of its position in the
/// stream is below the validation fraction, whatever the chunking.
/// </summary>
/// <remarks>
/// A column whose cells are numbers in one part of the data and text in another is text throughout, as when the table is read
/// whole: the pass starts again with it read as text (the first part's spellings are gone by then).
/// </remarks>
internal sealed class StreamedTable
{
    // Rows of a CSV chunk: a chunk's columns (8 bytes a number, 4 a text cell) stay below the runtime's large-object threshold
    // (85,000 bytes), so they are collected young, and the file's bytes in flight stay small.
    public const int CsvRowsPerChunk = 8192;

    private const ulong HoldOutSalt = 0x5EED_5B11_7000_0005;
    private const ulong SampleSalt = 0x5EED_5A3B_1E00_0003;
    private const ulong ValidationSampleSalt = 0x5EED_5A3B_1E00_0004;

    private const ulong SubsetSalt = 0x5EED_5A3B_1E00_0006;

    private readonly ulong _seed;
    private readonly long _memory;
    private TableSample? _sample, _validation;
    private string[] _columnNames = [];
    private bool _csv, _parquet;
    private char _delimiter = ',', _decimal = '.';

    private StreamedTable(string source, CsvReadOptions readOptions, ulong seed, double validationFraction, long memory, StreamShare share)
    {
        _memory = memory;
        Source = source;
        ReadOptions = readOptions;
        _seed = seed;
        ValidationFraction = validationFraction;
        Share = share;
    }

    /// <summary>What this process reads of the data: everything, or a rank's share of a data-parallel run's.</summary>
    public StreamShare Share { get; }

    /// <summary>The data, as the options name it (a file, folder or glob).</summary>
    public string Source { get; }

    /// <summary>How every pass reads the data (the first pass's text columns included).</summary>
    public CsvReadOptions ReadOptions { get; private set; }

    /// <summary>The share of rows held out to validate.</summary>
    public double ValidationFraction { get; }

    /// <summary>A uniform sample of the training rows (their target present), bounded by an eighth of the stream's memory.</summary>
    public Table Sample { get; private set; } = null!;

    /// <summary>The validation rows, or a uniform sample of them; <see langword="null"/> without a validation fraction.</summary>
    public Table? Validation { get; private set; }

    /// <summary>Rows of <see cref="Sample"/> (also once released).</summary>
    public int SampleRows { get; private set; }

    /// <summary>Columns of the data.</summary>
    public int Columns { get; private set; }

    /// <summary>Rows read.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows every epoch trains on: not held out, their target present (of every rank).</summary>
    public long TrainingRows { get; private set; }

    /// <summary>Of <see cref="TrainingRows"/>, those this process reads (all of them, but in a data-parallel run).</summary>
    public long LocalTrainingRows { get; private set; }

    /// <summary>Rows held out to validate (their target present), of which <see cref="Validation"/> holds all or a sample.</summary>
    public long ValidationRows { get; private set; }

    /// <summary>Of a data-parallel run, the <see cref="LocalTrainingRows"/> and the files each rank reads; <see langword="null"/> for one process.</summary>
    public (long TrainingRows, int Files)[]? Ranks { get; private set; }

    /// <summary>Rows skipped because their target is missing.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Data files read (shards).</summary>
    public int Files { get; private set; }

    /// <summary>How the rows were read: "delimiter ','", "Parquet", "3 shards: Parquet".</summary>
    public string Format { get; private set; } = "";

    /// <summary>What the reader inferred about the files' layout (<see cref="Table.Notes"/> of their chunks), each note once.</summary>
    public IReadOnlyList<string> ReadNotes { get; private set; } = [];

    /// <summary>Seconds the first pass took (the last one, if a column's kind made it start again).</summary>
    public double Seconds { get; private set; }

    /// <summary>Bytes of the data's files.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// The rows of <paramref name="sample"/> (<see cref="Sample"/> or <see cref="Validation"/>) to make inputs of, so that they
    /// take at most an eighth of the stream's memory at <paramref name="bytesPerRow"/> each: a uniform subset, in order; every row
    /// (<see langword="null"/>) when they fit.
    /// </summary>
    public IReadOnlyList<int>? RowsWithin(Table sample, int bytesPerRow)
    {
        int fit = (int)Math.Min(int.MaxValue, _memory / 8 / Math.Max(bytesPerRow, 1));
        if (sample.RowCount <= fit)
        {
            return null;
        }
        int[] rows = new Rng(_seed ^ SubsetSalt).Sample(sample.RowCount, Math.Max(fit, 1));
        Array.Sort(rows);
        return rows;
    }

    /// <summary>Lets the samples go once their inputs are made: a run holds those, not the cells.</summary>
    public void ReleaseSamples()
    {
        Sample = null!;
        Validation = null;
    }

    /// <summary>Whether the row at <paramref name="position"/> (<see cref="StreamShare"/>'s: its file's index and its row there) is held out to validate.</summary>
    public bool IsHeldOut(long position) => ValidationFraction > 0 && TableSample.Key(_seed ^ HoldOutSalt, position) < ValidationFraction;

    /// <summary>Reads the data once: the samples and counts.</summary>
    /// <param name="options">The run's options: data, how to read it, target, columns, seed, validation fraction, memory.</param>
    /// <param name="read">How to read the data (a resumed model's text columns, or the options' categorical ones).</param>
    /// <param name="target">The target column, or <see langword="null"/> for the last column.</param>
    /// <param name="collective">
    /// The ranks of a data-parallel run, each of which reads its share of the data (<see cref="StreamShare"/>); they exchange
    /// what they found, so that every rank ends with the same samples (the union of theirs, at one rate) and counts.
    /// <see langword="null"/> for one process.
    /// </param>
    /// <param name="cancellationToken">Ends the pass between chunks.</param>
    /// <exception cref="BackpropException">The data is unreadable, has no usable row, or a cell is not what its column allows (on any rank).</exception>
    public static StreamedTable Scan(TabularTrainingOptions options, CsvReadOptions read, string? target, ICollective? collective,
        CancellationToken cancellationToken)
    {
        string path = options.Data!;
        int ranks = collective?.Size ?? 1;
        StreamShare share = StreamShare.Of(path, collective?.Rank ?? 0, ranks);
        var text = new HashSet<string>(read.TextColumns ?? [], StringComparer.Ordinal);
        // Each rank's samples take their share of the memory: their union takes what one process's would.
        long memory = options.StreamMemory!.Value;
        var streamed = new StreamedTable(path, read, options.Seed, options.ValidationFraction, memory, share)
        {
            Bytes = share.Files.Sum(file => new FileInfo(file).Length),
        };
        if (collective is null || ranks == 1)
        {
            while (!streamed.TryScan(options, target, text, memory / 8, cancellationToken))
            {
                // A column changed kind: read again with it as text.
            }
            streamed.Complete(null, target);
            return streamed;
        }
        while (true)
        {
            string? error = null;
            bool canceled = false;
            try
            {
                while (!streamed.TryScan(options, target, text, memory / 8 / ranks, cancellationToken))
                {
                }
            }
            catch (BackpropException e)
            {
                // Said by every rank at once below: a rank that failed alone would leave the others waiting for it.
                error = e.Message;
            }
            catch (OperationCanceledException)
            {
                // Stopped between chunks (the signal of a stop reaches each rank at its own moment): every rank stops below.
                canceled = true;
            }
            RankScan[] scans = [.. collective.AllGather(streamed.Describe(error, canceled, text)).Select(RankScan.Read)];
            if (scans.Any(s => s.Canceled))
            {
                throw new OperationCanceledException(cancellationToken);
            }
            if (scans.FirstOrDefault(s => s.Error is not null) is { } failed)
            {
                throw new BackpropException(failed.Error!);
            }
            // A column text on one rank is text on all (as reading the whole table would make it): those that read it as
            // numbers read their share again.
            var union = scans.SelectMany(s => s.Text).ToHashSet(StringComparer.Ordinal);
            if (scans.All(s => s.Text.SetEquals(union)))
            {
                streamed.Complete(scans, target);
                streamed.Exchange(collective, scans);
                return streamed;
            }
            if (!text.SetEquals(union))
            {
                text.UnionWith(union);
                streamed._sample = null;
            }
        }
    }

    // One pass; false when a column turned out to hold numbers and text (added to `text`: the pass must start again).
    private bool TryScan(TabularTrainingOptions options, string? targetName, HashSet<string> text, long sampleBytes, CancellationToken cancellationToken)
    {
        if (_sample is not null && ReadOptions.TextColumns is { } read && text.SetEquals(read))
        {
            // Scanned already with these columns as text (a rank waiting while another read its share again).
            return true;
        }
        ReadOptions = ReadOptions with { TextColumns = [.. text] };
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var sample = new TableSample(Source, sampleBytes);
        var validation = new TableSample(Source, sampleBytes);
        var numeric = new Dictionary<string, bool>(StringComparer.Ordinal); // the kind of every column that held a value so far
        var drop = new HashSet<string>(options.Drop, StringComparer.Ordinal);
        var files = new List<string>();
        bool parquet = false, csv = false;
        char delimiter = ',', decimalSeparator = '.';
        long rows = 0, training = 0, held = 0, skipped = 0;
        string[] names = [];
        var notes = new List<string>();
        foreach ((Table chunk, long first) in Share.Chunks(ReadOptions, CsvRowsPerChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            notes.AddRange(chunk.Notes.Except(notes));
            targetName ??= chunk.ColumnNames[^1];
            if (names.Length == 0) names = [.. chunk.ColumnNames];
            TableColumn target = chunk.Find(targetName)
                ?? throw DataErrors.ColumnNotFound(chunk.Source, $"a target column '{targetName}'", targetName, chunk.ColumnNames);
            string[] changed = [.. chunk.Columns
                .Where(c => c.NeedsTextReread || (c.MissingCount < c.Count && numeric.TryGetValue(c.Name, out bool wasNumeric) && wasNumeric != c.IsNumeric))
                .Select(c => c.Name)];
            if (changed.Length > 0)
            {
                text.UnionWith(changed);
                return false;
            }
            foreach (TableColumn column in chunk.Columns.Where(c => c.MissingCount < c.Count)) numeric[column.Name] = column.IsNumeric;
            CheckCells(chunk, options, target, drop);
            if (files.Count == 0 || files[^1] != chunk.Source)
            {
                files.Add(chunk.Source);
                bool isParquet = chunk.PartOf(0).RowGroupStarts is not null;
                parquet |= isParquet;
                if (!isParquet && !csv)
                {
                    csv = true;
                    delimiter = chunk.Delimiter;
                    decimalSeparator = chunk.Decimal;
                }
            }
            for (int r = 0; r < chunk.RowCount; r++)
            {
                long position = first + r;
                if (target.IsMissing(r))
                {
                    skipped++;
                }
                else if (IsHeldOut(position))
                {
                    held++;
                    validation.Offer(chunk, r, TableSample.Key(_seed ^ ValidationSampleSalt, position), text);
                }
                else
                {
                    training++;
                    sample.Offer(chunk, r, TableSample.Key(_seed ^ SampleSalt, position), text);
                }
            }
            rows += chunk.RowCount;
        }
        Seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        Rows = rows;
        TrainingRows = LocalTrainingRows = training;
        ValidationRows = held;
        SkippedRows = skipped;
        Files = files.Count;
        _sample = sample;
        _validation = validation;
        _columnNames = names;
        ReadNotes = notes;
        (_csv, _parquet, _delimiter, _decimal) = (csv, parquet, delimiter, decimalSeparator);
        return true;
    }

    // The counts of every rank (null: this process's alone), checked, and this process's samples as tables.
    private void Complete(RankScan[]? scans, string? targetName)
    {
        if (scans is not null)
        {
            if (scans.Where(s => s.Columns.Length > 0).Select(s => s.Columns).Distinct(StringArrayComparer.Instance).Skip(1).Any())
            {
                RankScan first = scans.First(s => s.Columns.Length > 0);
                int other = Array.FindIndex(scans, s => s.Columns.Length > 0 && !StringArrayComparer.Instance.Equals(s.Columns, first.Columns));
                throw new BackpropException($"Expected every shard of {Source} to have the columns of the first ({DataErrors.List(first.Columns)}). " +
                    $"Received: the shards of rank {other} have {DataErrors.List(scans[other].Columns)}.");
            }
            Ranks = [.. scans.Select(s => (s.TrainingRows, s.Files))];
            Rows = scans.Sum(s => s.Rows);
            TrainingRows = scans.Sum(s => s.TrainingRows);
            ValidationRows = scans.Sum(s => s.ValidationRows);
            SkippedRows = scans.Sum(s => s.SkippedRows);
            Files = Share.Files.Count;
            Seconds = scans.Max(s => s.Seconds);
            RankScan csv = scans.FirstOrDefault(s => s.Csv) ?? scans[0];
            Format = Table.FormatOf(Files, scans.Any(s => s.Csv), scans.Any(s => s.Parquet), csv.Delimiter, csv.Decimal);
        }
        else
        {
            Format = Table.FormatOf(Files, _csv, _parquet, _delimiter, _decimal);
        }
        if (TrainingRows == 0)
        {
            throw new BackpropException(SkippedRows == Rows
                ? $"Expected rows with a value in the target column '{targetName ?? _columnNames.LastOrDefault()}'. Received: every one missing ({Source})."
                : $"Expected rows to train on in {Source}. Received: all {Rows:N0} held out to validate; lower the validation fraction.");
        }
        if (scans is null)
        {
            Sample = _sample!.ToTable();
            Validation = ValidationRows > 0 ? _validation!.ToTable() : null;
            SampleRows = Sample.RowCount;
            Columns = Sample.Columns.Count;
            _sample = _validation = null;
        }
    }

    // Every rank's samples, brought to the lowest rate among them (so that their union is a uniform sample of the whole data)
    // and sent to every rank: each ends with their union, in rank order.
    private void Exchange(ICollective collective, RankScan[] scans)
    {
        _sample!.LowerRate(scans.Min(s => s.SampleRate));
        _validation!.LowerRate(scans.Min(s => s.ValidationRate));
        Sample = TableBytes.Concatenate(Source, collective.AllGather(_sample.Count > 0 ? TableBytes.Write(_sample.ToTable()) : []))!;
        Validation = ValidationRows > 0 ? TableBytes.Concatenate(Source, collective.AllGather(_validation.Count > 0 ? TableBytes.Write(_validation.ToTable()) : [])) : null;
        SampleRows = Sample.RowCount;
        Columns = Sample.Columns.Count;
        _sample = _validation = null;
    }

    // What this rank found, for the others: whether it was stopped, its error, or its columns, text columns, counts, sampling rates and formats.
    private byte[] Describe(string? error, bool canceled, IReadOnlySet<string> text)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(canceled);
            writer.Write(error ?? "");
            writer.Write(_columnNames.Length);
            foreach (string name in _columnNames) writer.Write(name);
            writer.Write(text.Count);
            foreach (string name in text.Order(StringComparer.Ordinal)) writer.Write(name);
            writer.Write(Rows);
            writer.Write(LocalTrainingRows);
            writer.Write(ValidationRows);
            writer.Write(SkippedRows);
            writer.Write(Files);
            writer.Write(_sample?.Rate ?? 1);
            writer.Write(_validation?.Rate ?? 1);
            writer.Write(Seconds);
            writer.Write(_csv);
            writer.Write(_parquet);
            writer.Write(_delimiter);
            writer.Write(_decimal);
        }
        return stream.ToArray();
    }

    // A rank's Describe, read.
    private sealed record RankScan(bool Canceled, string? Error, string[] Columns, HashSet<string> Text, long Rows, long TrainingRows, long ValidationRows,
        long SkippedRows, int Files, double SampleRate, double ValidationRate, double Seconds, bool Csv, bool Parquet, char Delimiter, char Decimal)
    {
        public static RankScan Read(byte[] bytes)
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            bool canceled = reader.ReadBoolean();
            string error = reader.ReadString();
            string[] columns = [.. Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString())];
            var text = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToHashSet(StringComparer.Ordinal);
            return new RankScan(canceled, error.Length == 0 ? null : error, columns, text, reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(),
                reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadChar(), reader.ReadChar());
        }
    }

    private sealed class StringArrayComparer : IEqualityComparer<string[]>
    {
        public static readonly StringArrayComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.Order(StringComparer.Ordinal).SequenceEqual(y.Order(StringComparer.Ordinal));

        public int GetHashCode(string[] obj) => obj.Length;
    }

    // What reading the whole table would refuse, refused where it is, with its file and line: a non-finite number, or a missing
    // cell when missing values are errors, in a column the run may use.
    private static void CheckCells(Table chunk, TabularTrainingOptions options, TableColumn target, HashSet<string> drop)
    {
        IEnumerable<TableColumn> used = chunk.Columns.Where(c => c == target
            || (!drop.Contains(c.Name) && (options.Features is null || options.Features.Contains(c.Name))));
        if (used.Where(c => c.IsNumeric && c.FirstNonFiniteRow >= 0).MinBy(c => c.FirstNonFiniteRow) is { } infinite)
        {
            throw DataErrors.NotFinite(chunk.LocationOf(infinite.FirstNonFiniteRow), infinite.Name, infinite.FirstNonFiniteText!);
        }
        if (options.Missing == MissingValueStrategy.Error)
        {
            TabularPreprocessor.ThrowOnFirstMissing(chunk, used);
        }
    }
}
