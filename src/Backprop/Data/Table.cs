using System.Globalization;
using nietras.SeparatedValues;

namespace Backprop.Data;

/// <summary>
/// A table of typed columns with named headers, read from a CSV file (streamed with Sep), a Parquet file, or shards of either
/// (a folder, or a glob such as <c>data/*.parquet</c>), or built in memory.
/// </summary>
/// <remarks>
/// <para>
/// The file text is never held in memory: rows are parsed from a buffered stream and each cell goes straight into its column
/// (a <see cref="double"/> for a numeric cell, a four-byte code for a text cell), so a table costs about the size of its data.
/// A column that turns out to be text after many numbers is read again as text, in a second pass over the file, so that the
/// categories keep their original spelling.
/// </para>
/// <para>
/// Accepted: a header line (required), the delimiters <c>,</c> <c>;</c> <c>\t</c> <c>|</c> and runs of spaces (detected from the
/// header, see <see cref="CsvReadOptions.DetectedDelimiters"/>, or given), RFC 4180 quoting (delimiters, doubled quotes and line
/// breaks inside quoted fields), spaces around fields (trimmed), UTF-8 with or without a byte-order mark, <c>\r\n</c> or
/// <c>\n</c> line ends, blank lines (skipped).
/// Anything else is a <see cref="BackpropException"/> whose message names the file, the line and the column.
/// </para>
/// <para>
/// Parquet files (<see cref="ParquetFile"/>) go through the same inference: a numeric column of any width is numbers, a string
/// column is text unless every value reads as a number (as the same cells would in a CSV file), a boolean column is the text
/// <c>true</c>/<c>false</c>, dates and times are their ISO 8601 text; nulls are missing cells.
/// </para>
/// </remarks>
public sealed class Table
{
    private readonly ChunkedList<int> _lines;
    private readonly TablePart[] _parts;
    private readonly Dictionary<string, int> _columnIndex;

    private Table(string source, char delimiter, char decimalSeparator, TableColumn[] columns, ChunkedList<int> lines, TablePart[]? parts = null,
        IReadOnlyList<string>? notes = null)
    {
        Source = source;
        Notes = notes ?? [];
        Delimiter = delimiter;
        Decimal = decimalSeparator;
        Columns = columns;
        _lines = lines;
        _parts = parts ?? [new TablePart(source, 0, null)];
        _columnIndex = columns.ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
        ColumnNames = columns.Select(c => c.Name).ToArray();
    }

    // A table of columns filled by the caller (a sample of a stream's rows).
    internal static Table Create(string source, char delimiter, char decimalSeparator, TableColumn[] columns, ChunkedList<int> lines, TablePart[] parts,
        IReadOnlyList<string>? notes = null) =>
        new(source, delimiter, decimalSeparator, columns, lines, parts, notes);

    // The file (and row groups) row `row` comes from.
    internal TablePart PartOf(int row) => _parts[PartIndex(row)];

    /// <summary>Where the table was read from, as given (a path, a folder or glob of shards, or a name for a stream); used in error messages.</summary>
    public string Source { get; }

    /// <summary>
    /// The field delimiter used (given or detected); <see cref="CsvReadOptions.Whitespace"/> for runs of spaces and tabs. Of shards,
    /// the first CSV shard's; <c>','</c> for a table read from Parquet alone or built in memory.
    /// </summary>
    public char Delimiter { get; }

    /// <summary>
    /// The decimal separator of the numbers read: <c>','</c> when it was given, or detected (a numeric column holds numbers written
    /// with a decimal comma); otherwise <c>'.'</c>. See <see cref="CsvReadOptions.Decimal"/>.
    /// </summary>
    public char Decimal { get; }

    /// <summary>
    /// What the reader inferred about the file's layout beyond its delimiter and decimal separator, one line each, for the notes of
    /// a run: a column without a name or a value left out, the first field of each row read as a row name, a column of numbers
    /// with thousands separators. Empty for most files.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The header names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of data rows (blank lines are not rows).</summary>
    public int RowCount => _lines.Count;

    /// <summary>
    /// The line of the CSV file on which data row <paramref name="row"/> starts (the header is line 1); for a row of a Parquet
    /// file, its row number in that file, from 1. <see cref="LocationOf"/> also names the file.
    /// </summary>
    public int LineOf(int row) => _lines[row];

    /// <summary>
    /// Where data row <paramref name="row"/> came from, for messages: <c>wine.csv line 12</c>, <c>data/part-2.csv line 7</c>, or
    /// <c>data.parquet row 1,234 (row group 2 of 3)</c> (rows and row groups counted from 1).
    /// </summary>
    public string LocationOf(int row)
    {
        TablePart part = _parts[PartIndex(row)];
        int position = _lines[row];
        if (part.RowGroupStarts is not { } starts)
        {
            return $"{part.Source} line {position}";
        }
        int group = Array.BinarySearch(starts, position - 1);
        group = group >= 0 ? group : ~group - 1;
        return starts.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{part.Source} row {position:N0}")
            : string.Create(CultureInfo.InvariantCulture, $"{part.Source} row {position:N0} (row group {group + 1} of {starts.Length})");
    }

    /// <summary>How the rows were read, for the notes of a run: <c>delimiter ','</c>, <c>Parquet</c>, <c>3 shards: Parquet</c>.</summary>
    internal string Format => FormatOf(_parts.Length, _parts.Any(p => p.RowGroupStarts is null), _parts.Any(p => p.RowGroupStarts is not null),
        Delimiter, Decimal);

    // How data of `files` files was read (the delimiter and decimal separator of its CSV files), as Format says it.
    internal static string FormatOf(int files, bool anyCsv, bool anyParquet, char delimiter, char decimalSeparator)
    {
        string csv = $"delimiter {CsvReadOptions.NameOf(delimiter)}" + (decimalSeparator == ',' ? ", decimal ','" : "");
        string kinds = anyCsv && anyParquet ? $"Parquet and CSV, {csv}" : anyParquet ? "Parquet" : csv;
        return files > 1 ? $"{Plural.Of(files, "shard")}: {kinds}" : kinds;
    }

    private int PartIndex(int row)
    {
        int lo = 0, hi = _parts.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_parts[mid].FirstRow <= row) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>One line: <c>Table(wine.csv: 178 rows × 14 columns, delimiter ',')</c>.</summary>
    public override string ToString() =>
        $"Table({Source}: {Plural.Of(RowCount, "row")} × {Plural.Of(Columns.Count, "column")}, delimiter {(Delimiter == '\t' ? "'\\t'" : CsvReadOptions.NameOf(Delimiter))})";

    /// <summary>The column named <paramref name="name"/> (exact, case-sensitive), or <see langword="null"/>.</summary>
    public TableColumn? Find(string name) => _columnIndex.TryGetValue(name, out int index) ? Columns[index] : null;

    /// <summary>
    /// Reads the data at <paramref name="path"/>: a CSV file, a Parquet file (named <c>.parquet</c>, or starting with its magic
    /// bytes), a folder of shards, or a glob of shards (<c>data/*.parquet</c>, <c>logs/**/part-*.csv</c>; see <see cref="Shards"/>).
    /// Shards are read in the order of their paths and become one table; they must have the same columns.
    /// </summary>
    /// <exception cref="BackpropException">The file is missing, empty, not text or Parquet, or not a well-formed table with a header;
    /// a glob or folder holds no data file; shards disagree on their columns.</exception>
    public static Table Read(string path, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CsvReadOptions();
        options.Validate();
        if (Shards.IsGlob(path) || Directory.Exists(path))
        {
            return ReadShards(path, Shards.Find(path), options);
        }
        if (!File.Exists(path)) throw DataErrors.FileNotFound(path);
        return ReadFile(path, options);
    }

    private static Table ReadFile(string path, CsvReadOptions options)
    {
        if (ParquetFile.IsParquet(path))
        {
            return ReadParquet(path, options);
        }
        try
        {
            return Read(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
                path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataErrors.Unreadable(path, e);
        }
    }

    // A string column that held numbers, then text, is read again as text, as a CSV file's is.
    private static Table ReadParquet(string path, CsvReadOptions options)
    {
        var textColumns = new HashSet<string>(options.TextColumns ?? [], StringComparer.Ordinal);
        var (columns, rows, starts) = ParquetFile.Read(path, path, options, textColumns);
        string[] reread = columns.Where(c => c.NeedsTextReread).Select(c => c.Name).ToArray();
        if (reread.Length > 0)
        {
            textColumns.UnionWith(reread);
            (columns, rows, starts) = ParquetFile.Read(path, path, options, textColumns);
        }
        return new Table(path, ',', '.', columns, rows, [new TablePart(path, 0, starts)], NotesOf([], columns));
    }

    // The shards are read one by one and appended to the table's columns, so the memory held is the table's and one shard's.
    // A column numeric in one shard and text in another is text in all: the shards are read again with it as text (the first
    // pass could not know, and the numbers' original text is gone).
    private static Table ReadShards(string source, IReadOnlyList<string> files, CsvReadOptions options)
    {
        var textColumns = new HashSet<string>(options.TextColumns ?? [], StringComparer.Ordinal);
        long limit = options.MaxMemory ?? MemoryBudget.Available();
        while (true)
        {
            Table? first = null, csv = null;
            TableColumn[] columns = [];
            var positions = new ChunkedList<int>();
            var parts = new List<TablePart>(files.Count);
            var notes = new List<string>();
            long held = 0;
            bool again = false;
            foreach (string file in files)
            {
                Table shard = ReadFile(file, options with { TextColumns = textColumns, MaxMemory = Math.Max(1, limit - held) });
                if (first is null)
                {
                    first = shard;
                    columns = shard.Columns.Select(c => new TableColumn(c.Name, c.Index, !c.IsNumeric,
                        shard.Decimal == ',' ? DecimalSeparators.Comma : DecimalSeparators.Point)).ToArray();
                }
                CheckShardColumns(first, shard);
                notes.AddRange(shard.Notes.Except(notes));
                if (shard._parts[0].RowGroupStarts is null)
                {
                    csv ??= shard;
                    if (shard.Decimal != csv.Decimal) throw DataErrors.ShardDecimals(csv.Source, csv.Decimal, shard.Source, shard.Decimal);
                }
                // A column numeric in both, but in two units ($ in one shard, € in another), is not one quantity either.
                string[] text = columns.Where(merged => shard.Find(merged.Name) is { } c && (c.IsNumeric != first.Find(c.Name)!.IsNumeric
                    || (c.IsNumeric && c.Unit is not null && merged.Unit is not null && !NumberUnits.Same(merged.Unit, c.Unit))))
                    .Select(merged => merged.Name).ToArray();
                if (text.Length > 0)
                {
                    textColumns.UnionWith(text);
                    again = true;
                    break;
                }
                int offset = positions.Count;
                if (shard.RowCount > int.MaxValue - offset)
                {
                    throw new BackpropException($"Expected at most {int.MaxValue:N0} rows. Received: more in {source} (at {shard.Source}).");
                }
                foreach (TableColumn column in columns)
                {
                    TableColumn part = shard.Find(column.Name)!;
                    column.AppendColumn(part, offset);
                    column.Unsupported ??= part.Unsupported;
                }
                for (int r = 0; r < shard.RowCount; r++) positions.Add(shard._lines[r]);
                parts.Add(shard._parts[0] with { FirstRow = offset });
                held = 4L * positions.Count + columns.Sum(c => c.BytesHeld);
            }
            if (!again)
            {
                return new Table(source, csv?.Delimiter ?? ',', csv?.Decimal ?? '.', columns, positions, [.. parts], notes);
            }
        }
    }

    private static void CheckShardColumns(Table first, Table shard)
    {
        if (shard.Columns.Count != first.Columns.Count || shard.ColumnNames.Any(name => first.Find(name) is null))
        {
            throw DataErrors.ShardColumns(first.Source, first.ColumnNames, shard.Source, shard.ColumnNames);
        }
    }

    /// <summary>Reads CSV data from the streams <paramref name="open"/> returns (called once, or twice when a column must be re-read).</summary>
    /// <param name="open">Opens the data from its start; the stream is disposed after use.</param>
    /// <param name="source">A name for the data in error messages, such as a file name.</param>
    /// <param name="options">Delimiter, text columns, resource bounds.</param>
    /// <exception cref="BackpropException">The data is empty, not text, or not a well-formed CSV file with a header.</exception>
    public static Table Read(Func<Stream> open, string source, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new CsvReadOptions();
        options.Validate();
        var textColumns = new HashSet<string>(options.TextColumns ?? [], StringComparer.Ordinal);
        Table table = ReadOnce(open, source, options, textColumns);
        string[] reread = table.Columns.Where(c => c.NeedsTextReread).Select(c => c.Name).ToArray();
        if (reread.Length == 0)
        {
            return table;
        }
        textColumns.UnionWith(reread);
        return ReadOnce(open, source, options, textColumns);
    }

    /// <summary>
    /// Reads CSV text that needs nothing but splitting, as the embedded data sets are: lines of comma-separated cells made of ASCII
    /// letters, digits and <c>. _ + - /</c> only, so no quoting, trimming or other delimiter can be involved. The table is the
    /// one <see cref="Read(Func{Stream}, string, CsvReadOptions?)"/> reads from the same text (a test checks it on every embedded
    /// file); it is read without Sep, whose set-up (parser choice, buffers, vectorized code compiled at first use) costs a short
    /// run such as the notebook's more than the file takes to read.
    /// </summary>
    /// <returns>The table; <see langword="null"/> when the text is not that plain, or the options ask for another delimiter
    /// (read it with <see cref="Read(Func{Stream}, string, CsvReadOptions?)"/>).</returns>
    internal static Table? TryReadPlain(string text, string source, CsvReadOptions options)
    {
        options.Validate();
        if (options.Delimiter is not (null or ',') || options.Decimal == ',' || !IsPlain(text))
        {
            return null;
        }
        string[] lines = text.Split('\n');
        if (!lines[0].Contains(',') || lines.Any(line => line.Length > options.MaxRowLength))
        {
            // Left to Sep's reader: an empty file or leading blank lines (the delimiter is detected from the first line that
            // is not blank), a single column, a row over the limit.
            return null;
        }
        string[] header = lines[0].Split(',');
        if (header.Length > options.MaxColumns)
        {
            throw DataErrors.TooManyColumns(source, header.Length, options.MaxColumns);
        }
        TableColumn[] columns = CreateColumns(header, source, new HashSet<string>(options.TextColumns ?? [], StringComparer.Ordinal),
            DecimalSeparators.Point);
        var lineNumbers = new ChunkedList<int>();
        int row = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue; // a blank line is not a row
            string[] cells = lines[i].Split(',');
            if (cells.Length != columns.Length)
            {
                if (row == 0 && cells.Length == columns.Length + 1) return null; // a row name before each row: Sep's reader leaves them out
                throw DataErrors.Ragged(source, i + 1, columns.Length, cells.Length, false);
            }
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c].Append(cells[c], row);
            }
            lineNumbers.Add(i + 1);
            row++;
        }
        if (row == 0)
        {
            throw DataErrors.HeaderOnly(source, columns.Select(c => c.Name).ToArray());
        }
        if (columns.Any(c => c.NeedsTextReread) || columns.Any(c => header[c.Index].Length == 0 && c.MissingCount == c.Count))
        {
            // A column of numbers, then text: Sep's reader reads the file again with it as text. An unnamed column without a
            // value: Sep's reader leaves it out, with a note.
            return null;
        }
        CheckHeaderIsNotData(source, columns, DecimalSeparators.Point);
        return new Table(source, ',', '.', columns, lineNumbers);
    }

    /// <summary>
    /// A table built in memory, so that arrays go through the same preprocessing as files (the estimators' matrices): a
    /// numeric column takes its cells from <paramref name="number"/> (NaN for a missing value), a text column from
    /// <paramref name="text"/> (<see langword="null"/> for a missing value). The "line" of row <c>r</c> is <c>r + 1</c>.
    /// </summary>
    internal static Table FromColumns(string source, IReadOnlyList<(string Name, bool Text)> header, int rows,
        Func<int, int, double> number, Func<int, int, string?> text)
    {
        TableColumn[] columns = CreateColumns(header.Select(h => h.Name).ToArray(), source,
            header.Where(h => h.Text).Select(h => h.Name).ToHashSet(StringComparer.Ordinal), DecimalSeparators.Point);
        var lines = new ChunkedList<int>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                if (header[c].Text)
                {
                    columns[c].Append(text(r, c) is string cell ? cell : "", r);
                }
                else
                {
                    columns[c].Append(number(r, c), r);
                }
            }
            lines.Add(r + 1);
        }
        return new Table(source, ',', '.', columns, lines);
    }

    private static bool IsPlain(string text)
    {
        foreach (char ch in text)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is ',' or '\n' or '.' or '_' or '+' or '-' or '/')) return false;
        }
        return true;
    }

    private static Table ReadOnce(Func<Stream> open, string source, CsvReadOptions options, HashSet<string> textColumns)
    {
        using CsvSource csv = CsvSource.Open(open, source, options);
        var budget = new MemoryBudget(source, options.MaxMemory ?? MemoryBudget.Available(), csv.Stream);
        SepReader reader = csv.Reader;
        TableColumn[] columns = csv.NewColumns(textColumns);
        var lines = new ChunkedList<int>();
        int row = 0;
        while (csv.MoveNext())
        {
            csv.Append(columns, row);
            lines.Add(reader.Current.LineNumberFrom);
            row++;
            if (row % MemoryBudget.CheckEvery == 0)
            {
                budget.Check(row, columns);
            }
        }
        if (row == 0)
        {
            throw DataErrors.HeaderOnly(source, columns.Select(c => c.Name).ToArray());
        }
        columns = csv.WithoutEmptyUnnamed(columns, lines);
        CheckHeaderIsNotData(source, columns, csv.Decimals);
        bool commas = CheckOneDecimalSeparator(source, columns, lines);
        return new Table(source, csv.Delimiter, commas || options.Decimal == ',' ? ',' : '.', columns, lines, notes: NotesOf(csv.Notes, columns));
    }

    /// <summary>
    /// Reads the data at <paramref name="path"/> (as <see cref="Read(string, CsvReadOptions?)"/>: a CSV or Parquet file, a folder
    /// or glob of shards) a chunk of rows at a time, so that only one chunk is held: a CSV file in chunks of
    /// <paramref name="rowsPerChunk"/> rows (fewer for a wide file: at most about a million cells a chunk, at least 64 rows), a
    /// Parquet file by row groups, shards one after the other. Each chunk is a table of its
    /// own (its <see cref="Source"/> the file it comes from, <see cref="LocationOf"/> the rows' place in it), its columns' kinds
    /// inferred from its own cells: a column numeric in one chunk may be text in another (read it again with the column in
    /// <see cref="CsvReadOptions.TextColumns"/>), and all-missing columns are numeric.
    /// </summary>
    /// <exception cref="BackpropException">As <see cref="Read(string, CsvReadOptions?)"/>, raised when the chunk is reached.</exception>
    public static IEnumerable<Table> ReadChunks(string path, CsvReadOptions? options = null, int rowsPerChunk = 65_536)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerChunk);
        options ??= new CsvReadOptions();
        options.Validate();
        return ReadChunksOf(Shards.FilesOf(path), options, rowsPerChunk);
    }

    /// <summary>
    /// The files that <see cref="Read(string, CsvReadOptions?)"/> reads for <paramref name="path"/>: the shards of a folder or
    /// glob, in the order they are read, or the file itself.
    /// </summary>
    /// <exception cref="BackpropException">No such file, or a folder or glob without data files.</exception>
    public static IReadOnlyList<string> Files(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Shards.FilesOf(path);
    }

    /// <summary>The chunks of <paramref name="files"/> (some shards of a table, as a rank of a data-parallel run reads its own), one after the other.</summary>
    internal static IEnumerable<Table> ReadChunks(IReadOnlyList<string> files, CsvReadOptions options, int rowsPerChunk)
    {
        options.Validate();
        return ReadChunksOf(files, options, rowsPerChunk);
    }

    private static IEnumerable<Table> ReadChunksOf(IReadOnlyList<string> files, CsvReadOptions options, int rowsPerChunk)
    {
        var textColumns = new HashSet<string>(options.TextColumns ?? [], StringComparer.Ordinal);
        var units = new Dictionary<string, (string Location, string Text, string Unit)>(StringComparer.Ordinal);
        Table? first = null;
        foreach (string file in files)
        {
            var noted = new HashSet<string>(StringComparer.Ordinal);
            IEnumerable<Table> chunks = ParquetFile.IsParquet(file)
                ? ParquetFile.ReadGroups(file, options, textColumns).Select(g => new Table(file, ',', '.', g.Columns, g.Rows, [new TablePart(file, 0, g.RowGroupStarts)],
                    NotesOf([], g.Columns, noted)))
                : ReadCsvChunks(file, options, textColumns, rowsPerChunk);
            foreach (Table chunk in chunks)
            {
                first ??= chunk;
                CheckShardColumns(first, chunk);
                CheckOneUnit(chunk, units);
                yield return chunk;
            }
        }
    }

    // Chunks are read one at a time, each column numeric in its own unit: a column of $ amounts in one chunk and of € amounts
    // in a later one is refused as one file of both would be (there, the column would be text, and refused where it is used).
    private static void CheckOneUnit(Table chunk, Dictionary<string, (string Location, string Text, string Unit)> units)
    {
        foreach (TableColumn column in chunk.Columns)
        {
            if (column.Unit is null || column.FirstUnitRow < 0) continue;
            (string Location, string Text, string Unit) here = (chunk.LocationOf(column.FirstUnitRow), column.FirstUnitText!, column.Unit);
            if (!units.TryAdd(column.Name, here) && !NumberUnits.Same(units[column.Name].Unit, column.Unit))
            {
                throw DataErrors.MixedUnits(column.Name, units[column.Name], here);
            }
        }
    }

    // A chunk of a wide file holds fewer rows: at most about a million cells (8 MB of numbers) whatever its width, but at least
    // 64 rows. The count depends on the file's columns only, so every rank of a data-parallel run cuts a file alike.
    private const int MaxChunkCells = 1 << 20;
    private const int MinChunkRows = 64;

    // A CSV file in chunks; its decimal separator is decided by the first chunk whose numbers show one, and a later chunk that
    // shows the other is refused as one file would be.
    private static IEnumerable<Table> ReadCsvChunks(string file, CsvReadOptions options, IReadOnlySet<string> textColumns, int rowsPerChunk)
    {
        Func<Stream> open = () => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        CsvSource csv;
        try
        {
            csv = CsvSource.Open(open, file, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataErrors.Unreadable(file, e);
        }
        using (csv)
        {
            (string Column, int Line, string Text)? comma = null, point = null;
            var noted = new HashSet<string>(StringComparer.Ordinal);
            bool any = false;
            while (true)
            {
                TableColumn[] columns = csv.NewColumns(textColumns);
                var lines = new ChunkedList<int>();
                int row = 0, rows = Math.Min(rowsPerChunk, Math.Max(MinChunkRows, MaxChunkCells / columns.Length));
                while (row < rows && NextCsvRow(csv))
                {
                    csv.Append(columns, row);
                    lines.Add(csv.Reader.Current.LineNumberFrom);
                    row++;
                }
                if (row == 0)
                {
                    if (!any) throw DataErrors.HeaderOnly(file, columns.Select(c => c.Name).ToArray());
                    yield break;
                }
                columns = csv.WithoutEmptyUnnamed(columns, lines);
                if (!any)
                {
                    CheckHeaderIsNotData(file, columns, csv.Decimals);
                    any = true;
                }
                CheckOneDecimalSeparator(file, columns, lines);
                if (columns.FirstOrDefault(c => c.IsNumeric && c.FirstCommaRow >= 0) is { } withComma)
                {
                    comma ??= (withComma.Name, lines[withComma.FirstCommaRow], withComma.FirstCommaText!);
                }
                if (columns.FirstOrDefault(c => c.IsNumeric && c.FirstPointRow >= 0) is { } withPoint)
                {
                    point ??= (withPoint.Name, lines[withPoint.FirstPointRow], withPoint.FirstPointText!);
                }
                if (comma is { } c && point is { } p && options.Decimal is null)
                {
                    throw DataErrors.MixedDecimalSeparators(file, c, p);
                }
                yield return new Table(file, csv.Delimiter, comma is not null || options.Decimal == ',' ? ',' : '.', columns, lines, notes: NotesOf(csv.Notes, columns, noted));
            }
        }
    }

    // The layout's notes, then one for each numeric column written with a unit or thousands separators: what was inferred,
    // said once.
    // "',' thousands separators and '.' decimals"; spaces, which a quote would not show, by name, with the decimal separator
    // the example shows, if any.
    private static string GroupsDescribed(char group, string example)
    {
        if (group is '.' or ',') return $"'{group}' thousands separators and '{(group == '.' ? ',' : '.')}' decimals";
        string spaces = group switch { ' ' => "spaces", '\u00A0' => "no-break spaces", _ => "narrow no-break spaces" };
        char? decimals = example.Contains(',') ? ',' : example.Contains('.') ? '.' : null;
        return $"{spaces} between thousands{(decimals is { } d ? $" and '{d}' decimals" : "")}";
    }

    // `noted`: the columns a file's earlier chunks said this of (their example cells differ, the note would not).
    private static IReadOnlyList<string> NotesOf(IReadOnlyList<string> layout, TableColumn[] columns, HashSet<string>? noted = null)
    {
        var notes = new List<string>(layout);
        foreach (TableColumn c in columns)
        {
            // Keyed apart from the other note on the same column (a name holds no control character).
            if (c.FirstExcelError is { } error && noted?.Add("\0" + c.Name) != false)
            {
                notes.Add($"column '{c.Name}': spreadsheet error values (such as '{DataErrors.Quote(error)}') read as missing");
            }
            if (!c.IsNumeric || (c.FirstGroupedRow < 0 && c.FirstUnitRow < 0) || noted?.Add(c.Name) == false) continue;
            // The example of a grouped number is left out where it is the unit's own example.
            string grouped = c.FirstGroupedRow < 0 ? ""
                : $"{GroupsDescribed(c.GroupSeparator, c.FirstGroupedText!)}" +
                  (c.FirstGroupedText == c.FirstUnitText ? "" : $" (such as '{DataErrors.Quote(c.FirstGroupedText!)}')");
            notes.Add(c.FirstUnitRow < 0
                ? $"column '{c.Name}': numbers with {grouped}"
                : $"column '{c.Name}': {NumberUnits.Describe(c.Unit!)} (such as '{DataErrors.Quote(c.FirstUnitText!)}'), read as " +
                  $"{NumberUnits.WhatIsRead(c.Unit!)}{(grouped.Length > 0 ? $", with {grouped}" : "")}" +
                  (c.FirstScaledText is { } scaled
                      ? $", {(grouped.Length > 0 ? "and" : "with")} {NumberUnits.Magnitudes}{(scaled == c.FirstUnitText ? "" : $" (such as '{DataErrors.Quote(scaled)}')")}"
                      : ""));
        }
        return notes;
    }

    private static bool NextCsvRow(CsvSource csv)
    {
        try
        {
            return csv.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataErrors.Unreadable(csv.Source, e);
        }
    }

    // A CSV file opened for reading: the decoder, the detected delimiter and Sep's reader past the header, its first row read to
    // see whether the rows start with a row name.
    private sealed class CsvSource : IDisposable
    {
        private readonly CheckedTextReader _text;
        private readonly string[] _header;
        private readonly List<string> _notes = [];
        private bool _pending;
        private bool[]? _ignored;
        private readonly int _firstLine;
        private readonly FieldQuoteReader _quotes;

        private CsvSource(string source, Stream stream, CheckedTextReader text, FieldQuoteReader quotes, SepReader reader, char delimiter,
            DecimalSeparators decimals, string[] header, string? titleNote)
        {
            if (titleNote is not null) _notes.Add(titleNote);
            Source = source;
            Stream = stream;
            _text = text;
            _quotes = quotes;
            Reader = reader;
            Delimiter = delimiter;
            Decimals = decimals;
            _header = header;
            // R's read.table rule: a header one field shorter than the first row names the columns after the row names, which R's
            // write.table (and a printed data frame) writes first on each row without a name of their own.
            _pending = NextNonBlankRow(reader);
            // A first row that spans lines is a quote left open more likely than a row name.
            RowNames = _pending && reader.Current.ColCount == header.Length + 1 && reader.Current.LineNumberToExcl - reader.Current.LineNumberFrom == 1;
            _firstLine = _pending ? reader.Current.LineNumberFrom : 0;
            if (RowNames)
            {
                _notes.Add("the header has one field fewer than the rows: the first field of each row read as a row name, not used");
            }
        }

        // Whether the first field of every row is a row name, left out.
        public bool RowNames { get; }

        // What the reader inferred about the layout (Table.Notes).
        public IReadOnlyList<string> Notes => _notes;

        public string Source { get; }

        public Stream Stream { get; }

        public SepReader Reader { get; }

        public char Delimiter { get; }

        public DecimalSeparators Decimals { get; }

        public static CsvSource Open(Func<Stream> open, string source, CsvReadOptions options)
        {
            Stream stream = open();
            var text = new CheckedTextReader(stream, source, options.MaxRowLength, open);
            try
            {
                var peek = new HeaderPeekReader(text, source, options.MaxRowLength);
                // Excel's "sep=;" line says the delimiter and is no header: the header is the line after it.
                char? hinted = peek.DelimiterHint;
                if (hinted is not null) peek = new HeaderPeekReader(peek, source, options.MaxRowLength);
                // A title above the header (a report's, a bank statement's account lines): skipped where the file would not read.
                string? title = null;
                if (TitleLines.Count(peek.Header, peek.Ahead, complete: false, options.Delimiter ?? hinted) is int above and > 0)
                {
                    title = $"skipped {(above == 1 ? "a line" : $"{above} lines")} above the header ('{DataErrors.Quote(peek.Header)}'" +
                        $"{(above == 1 ? "" : ", …")}): {(above == 1 ? "its fields do" : "their fields do")} not match the rows'";
                    peek = new HeaderPeekReader(peek, source, options.MaxRowLength, blankLines: above);
                }
                TextReader input = peek;
                // A header of one name reads as one column whatever the delimiter; ';' is the one Sep chose for it before.
                char delimiter = options.Delimiter ?? hinted ?? DelimiterDetection.Detect(peek.Header) ?? ';';
                // Quotes are read once the delimiter is known: only at a field's start do they quote it.
                var quotes = new FieldQuoteReader(input, delimiter, delimiter == CsvReadOptions.Whitespace, source, options.MaxRowLength);
                input = quotes;
                text.BoundsLines = false; // the quote reader bounds rows from the first line on: one check is enough
                if (delimiter == CsvReadOptions.Whitespace)
                {
                    input = new WhitespaceDelimitedReader(input);
                }
                DecimalSeparators decimals = options.DecimalSeparatorsFor(delimiter);
                var sepOptions = new SepReaderOptions(new Sep(delimiter == CsvReadOptions.Whitespace ? WhitespaceDelimitedReader.Delimiter : delimiter))
                {
                    HasHeader = false,            // the header is read as row 0, so that its checks and messages are ours
                    DisableColCountCheck = true,  // likewise for ragged rows
                    Unescape = true,
                    Trim = SepTrim.All,
                    CultureInfo = CultureInfo.InvariantCulture,
                };
                SepReader reader = sepOptions.From(input);
                if (!NextNonBlankRow(reader))
                {
                    reader.Dispose();
                    throw DataErrors.Empty(source);
                }
                SepReader.Row header = reader.Current;
                if (header.ColCount > options.MaxColumns)
                {
                    reader.Dispose();
                    throw DataErrors.TooManyColumns(source, header.ColCount, options.MaxColumns);
                }
                var cells = new string[header.ColCount];
                for (int c = 0; c < cells.Length; c++) cells[c] = quotes.ReplacedQuotes ? FieldQuoteReader.Restore(header[c].Span) : header[c].ToString();
                return new CsvSource(source, stream, text, quotes, reader, delimiter, decimals, cells, title);
            }
            catch
            {
                text.Dispose();
                throw;
            }
        }

        // Columns named by the header, empty.
        public TableColumn[] NewColumns(IReadOnlySet<string> textColumns) => CreateColumns(_header, Source, textColumns, Decimals);

        // Moves to the next row that is not blank (the first one, read on opening, first).
        public bool MoveNext()
        {
            if (_pending)
            {
                _pending = false;
                return true;
            }
            return NextNonBlankRow(Reader);
        }

        // The current row's cells appended to the columns as row `row` (a row name left out).
        public void Append(TableColumn[] columns, int row)
        {
            SepReader.Row current = Reader.Current;
            int first = RowNames ? 1 : 0;
            if (current.ColCount != columns.Length + first)
            {
                bool spansLines = current.LineNumberToExcl - current.LineNumberFrom > 1;
                throw RowNames
                    ? DataErrors.RaggedAfterRowNames(Source, current.LineNumberFrom, _firstLine, columns.Length, current.ColCount, spansLines)
                    : DataErrors.Ragged(Source, current.LineNumberFrom, columns.Length, current.ColCount, spansLines);
            }
            // Once some quote was a character of its field (5'11"), the cells that hold one get it back.
            bool restore = _quotes.ReplacedQuotes;
            for (int c = 0; c < columns.Length; c++)
            {
                SepReader.Col cell = current[c + first];
                if (restore && cell.Span.Contains(FieldQuoteReader.StandIn)) columns[c].Append(FieldQuoteReader.Restore(cell.Span), row);
                else columns[c].Append(cell, row);
            }
        }

        // A column without a name in the header and without a value in any row (the empty last field of a file whose every line
        // ends with a delimiter, as spreadsheets export them) is no data: left out, with a note, so that it is neither a feature
        // nor the default target. The first rows read decide (a chunked read's first chunk); a later value in such a column is
        // refused, so that a chunked read never leaves out what a whole read would keep.
        public TableColumn[] WithoutEmptyUnnamed(TableColumn[] columns, ChunkedList<int> lines)
        {
            if (_ignored is null)
            {
                // Loops, not LINQ or Array.TrueForAll over bools: every read comes here, and the framework's generic code over value
                // types is compiled at first use (docs/performance.md, "Start-up").
                _ignored = new bool[columns.Length];
                bool all = true;
                for (int c = 0; c < columns.Length; c++)
                {
                    _ignored[c] = _header[c].Length == 0 && columns[c].MissingCount == columns[c].Count;
                    all &= _ignored[c];
                }
                if (all)
                {
                    Array.Fill(_ignored, false); // nothing left to read: the usual errors say what is wrong
                }
                for (int c = 0; c < _ignored.Length; c++)
                {
                    if (!_ignored[c]) continue;
                    _notes.Add($"left out column {c + 1}: no name in the header and no value in any row" +
                        (c == _ignored.Length - 1 ? " (every line ends with a delimiter)" : ""));
                }
            }
            bool any = false;
            foreach (bool ignored in _ignored) any |= ignored;
            if (!any)
            {
                return columns;
            }
            var kept = new List<TableColumn>(columns.Length);
            for (int c = 0; c < columns.Length; c++)
            {
                TableColumn column = columns[c];
                if (!_ignored[c])
                {
                    column.Index = kept.Count;
                    kept.Add(column);
                }
                else if (column.MissingCount < column.Count)
                {
                    int row = Enumerable.Range(0, column.Count).First(r => !column.IsMissing(r));
                    string text = column.IsNumeric ? column.GetNumber(row).ToString("R", CultureInfo.InvariantCulture) : column.GetText(row)!;
                    throw DataErrors.ValueInUnnamedColumn(Source, c + 1, text, lines[row]);
                }
            }
            return [.. kept];
        }

        public void Dispose()
        {
            Reader.Dispose();
            _text.Dispose();
        }
    }

    private static bool NextNonBlankRow(SepReader reader)
    {
        while (reader.MoveNext())
        {
            SepReader.Row row = reader.Current;
            if (row.ColCount > 1 || !row[0].Span.IsEmpty) return true;
        }
        return false;
    }

    // A file without a header whose last column is a class label (Iris as often shipped) has a "header" of numbers and one
    // label, the same label found again in that column. Numeric names alone are not enough: "country,1990,1991" is a header.
    private static void CheckHeaderIsNotData(string source, TableColumn[] columns, DecimalSeparators decimals)
    {
        int numbers = columns.Count(c => TableColumn.TryParseNumber(c.Name, decimals, out _));
        TableColumn last = columns[^1];
        if (columns.Length >= 2 && numbers == columns.Length - 1 && !last.IsNumeric && last.Levels.Contains(last.Name))
        {
            throw DataErrors.NoHeader(source, columns.Select(c => c.Name).ToArray(), numbers);
        }
    }

    // A file may write its numbers with decimal commas (where the decimal separator is detected) but not also with points:
    // "1.234" beside "0,5" is a decimal point or a thousands separator, and guessing wrong scales values by a thousand.
    // Returns whether a numeric column holds decimal commas.
    private static bool CheckOneDecimalSeparator(string source, TableColumn[] columns, ChunkedList<int> lines)
    {
        TableColumn? comma = columns.FirstOrDefault(c => c.IsNumeric && c.FirstCommaRow >= 0);
        TableColumn? point = comma is null ? null : columns.FirstOrDefault(c => c.IsNumeric && c.FirstPointRow >= 0);
        if (comma is not null && point is not null)
        {
            throw DataErrors.MixedDecimalSeparators(source, (comma.Name, lines[comma.FirstCommaRow], comma.FirstCommaText!),
                (point.Name, lines[point.FirstPointRow], point.FirstPointText!));
        }
        return comma is not null;
    }

    // The columns named by the header's cells, checked: printable names, not all numbers (unless they are names by the file's
    // format, as Parquet's are), no duplicates.
    internal static TableColumn[] CreateColumns(string[] cells, string source, IReadOnlySet<string> textColumns, DecimalSeparators decimals,
        bool headerOfNames = false)
    {
        if (cells.Length > 1 && Array.TrueForAll(cells, cell => cell.Length > 2 && cell[0] == '\'' && cell[^1] == '\''))
        {
            // A header whose every name is in single quotes ('OBS' 'GPA' 'GRADE', statsmodels' spector) quotes them, as some
            // tools write text: the names are what is inside, so that --target GRADE finds its column.
            cells = Array.ConvertAll(cells, cell => cell[1..^1]);
        }
        var names = new string[cells.Length];
        int numbers = 0;
        for (int c = 0; c < names.Length; c++)
        {
            string cell = cells[c];
            if (cell.AsSpan().ContainsAnyInRange('\0', '\x1F'))
            {
                // A line break inside a quoted name is valid CSV, but the name would break every message that quotes it.
                throw DataErrors.ControlCharacterInName(source, c, cell);
            }
            if (TableColumn.TryParseNumber(cell, decimals, out _)) numbers++;
            // An unnamed column (pandas writes its index that way) gets a name that says where it is.
            names[c] = cell.Length == 0 ? $"column{c + 1}" : cell;
        }
        if (numbers == names.Length && !headerOfNames)
        {
            throw DataErrors.NoHeader(source, names, numbers);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (!seen.TryAdd(names[c], c))
            {
                throw DataErrors.DuplicateColumn(source, names[c], seen[names[c]], c);
            }
        }
        return names.Select((name, c) => new TableColumn(name, c, textColumns.Contains(name), decimals)).ToArray();
    }
}
