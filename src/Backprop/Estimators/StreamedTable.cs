using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

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

    private StreamedTable(string source, CsvReadOptions readOptions, ulong seed, double validationFraction, long memory)
    {
        _memory = memory;
        Source = source;
        ReadOptions = readOptions;
        _seed = seed;
        ValidationFraction = validationFraction;
    }

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

    /// <summary>Rows every epoch trains on: not held out, their target present.</summary>
    public long TrainingRows { get; private set; }

    /// <summary>Rows held out to validate (their target present), of which <see cref="Validation"/> holds all or a sample.</summary>
    public long ValidationRows { get; private set; }

    /// <summary>Rows skipped because their target is missing.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Data files read (shards).</summary>
    public int Files { get; private set; }

    /// <summary>How the rows were read: "delimiter ','", "Parquet", "3 shards: Parquet".</summary>
    public string Format { get; private set; } = "";

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

    /// <summary>Whether row <paramref name="row"/> of the stream (counted from 0 over every file) is held out to validate.</summary>
    public bool IsHeldOut(long row) => ValidationFraction > 0 && TableSample.Key(_seed ^ HoldOutSalt, row) < ValidationFraction;

    /// <summary>The bytes of the data's files: the file, or every shard of a folder or glob.</summary>
    public static long DataBytes(string path)
    {
        IReadOnlyList<string> files = Shards.IsGlob(path) || Directory.Exists(path) ? Shards.Find(path) : File.Exists(path) ? [path] : [];
        return files.Sum(file => new FileInfo(file).Length);
    }

    /// <summary>Reads the data once: the samples and counts.</summary>
    /// <param name="options">The run's options: data, how to read it, target, columns, seed, validation fraction, memory.</param>
    /// <param name="read">How to read the data (a resumed model's text columns, or the options' categorical ones).</param>
    /// <param name="target">The target column, or <see langword="null"/> for the last column.</param>
    /// <param name="cancellationToken">Ends the pass between chunks.</param>
    /// <exception cref="BackpropException">The data is unreadable, has no usable row, or a cell is not what its column allows.</exception>
    public static StreamedTable Scan(TabularTrainingOptions options, CsvReadOptions read, string? target, CancellationToken cancellationToken)
    {
        string path = options.Data!;
        var text = new HashSet<string>(read.TextColumns ?? [], StringComparer.Ordinal);
        var streamed = new StreamedTable(path, read, options.Seed, options.ValidationFraction, options.StreamMemory!.Value) { Bytes = DataBytes(path) };
        while (!streamed.TryScan(options, target, text, cancellationToken))
        {
            // A column changed kind: read again with it as text.
        }
        return streamed;
    }

    // One pass; false when a column turned out to hold numbers and text (added to `text`: the pass must start again).
    private bool TryScan(TabularTrainingOptions options, string? targetName, HashSet<string> text, CancellationToken cancellationToken)
    {
        ReadOptions = ReadOptions with { TextColumns = [.. text] };
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var sample = new TableSample(Source, options.StreamMemory!.Value / 8);
        var validation = new TableSample(Source, options.StreamMemory!.Value / 8);
        var numeric = new Dictionary<string, bool>(StringComparer.Ordinal); // the kind of every column that held a value so far
        var drop = new HashSet<string>(options.Drop, StringComparer.Ordinal);
        var files = new List<string>();
        bool parquet = false, csv = false;
        char delimiter = ',', decimalSeparator = '.';
        long row = 0, training = 0, held = 0, skipped = 0;
        foreach (Table chunk in Table.ReadChunks(Source, ReadOptions, CsvRowsPerChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            targetName ??= chunk.ColumnNames[^1];
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
            for (int r = 0; r < chunk.RowCount; r++, row++)
            {
                if (target.IsMissing(r))
                {
                    skipped++;
                }
                else if (IsHeldOut(row))
                {
                    held++;
                    validation.Offer(chunk, r, TableSample.Key(_seed ^ ValidationSampleSalt, row), text);
                }
                else
                {
                    training++;
                    sample.Offer(chunk, r, TableSample.Key(_seed ^ SampleSalt, row), text);
                }
            }
        }
        if (training == 0)
        {
            throw new BackpropException(skipped == row
                ? $"Expected rows with a value in the target column '{targetName}'. Received: every one missing ({Source})."
                : $"Expected rows to train on in {Source}. Received: all {row:N0} held out to validate; lower the validation fraction.");
        }
        Seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        Rows = row;
        TrainingRows = training;
        ValidationRows = held;
        SkippedRows = skipped;
        Files = files.Count;
        Sample = sample.ToTable();
        Validation = held > 0 ? validation.ToTable() : null;
        SampleRows = Sample.RowCount;
        Columns = Sample.Columns.Count;
        Format = Table.FormatOf(files.Count, csv, parquet, delimiter, decimalSeparator);
        return true;
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
