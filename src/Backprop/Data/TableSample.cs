namespace Backprop.Data;

/// <summary>
/// A uniform sample of the rows of a stream of tables (the chunks of <see cref="Table.ReadChunks(string, CsvReadOptions?, int)"/>), bounded in memory: every
/// row offered whose key is below the sample's <see cref="Rate"/>. When the rows held pass the bound the rate halves and the
/// rows above it are dropped, so the sample is at all times the rows of the stream whose key is below the rate: a Bernoulli
/// sample at that rate, the same rows whatever the chunking, as many as the bound allows (between half of it and all of it).
/// </summary>
/// <remarks>
/// A row's key is fixed by its position in the stream and a seed (<see cref="Key"/>), not drawn from a generator, so every pass
/// over the data agrees on which rows are in a sample; two samples with keys from different seeds are independent.
/// </remarks>
internal sealed class TableSample(string source, long maxBytes)
{
    private readonly List<double> _keys = [];
    private readonly List<TablePart> _parts = [];
    private ChunkedList<int> _lines = new();
    private ChunkedList<int> _partOfRow = new();
    private TableColumn[]? _columns;
    private string[] _names = [];
    private string?[] _unsupported = [];
    private IReadOnlySet<string> _text = new HashSet<string>();
    private char _delimiter = ',', _decimal = '.';
    private Table? _chunk;
    private TableColumn[] _chunkColumns = [];

    /// <summary>The sampling rate: a row is kept when its key is below it.</summary>
    public double Rate { get; private set; } = 1;

    /// <summary>Rows held.</summary>
    public int Count => _keys.Count;

    /// <summary>Rows offered (the stream's rows the sample was drawn from).</summary>
    public long Offered { get; private set; }

    /// <summary>A number in [0, 1) fixed by the row's position in the stream and a seed: uniform and independent across rows.</summary>
    public static double Key(ulong seed, long row)
    {
        // SplitMix64's finalizer of the seeded position: a bijection that mixes every bit, so consecutive rows get independent keys.
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(row + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Offers row <paramref name="row"/> of <paramref name="chunk"/>, whose key is <paramref name="key"/>.</summary>
    /// <param name="chunk">A chunk of the stream; its columns' kinds agree with the earlier chunks' (a column holding numbers is never text).</param>
    /// <param name="row">The row of the chunk.</param>
    /// <param name="key">The row's key (<see cref="Key"/> of its position in the stream).</param>
    /// <param name="textColumns">The columns read as text (the first chunk's columns start as text for these).</param>
    public void Offer(Table chunk, int row, double key, IReadOnlySet<string> textColumns)
    {
        Offered++;
        if (key >= Rate)
        {
            return;
        }
        if (_columns is null)
        {
            _names = [.. chunk.ColumnNames];
            _unsupported = [.. chunk.Columns.Select(c => c.Unsupported)];
            _text = textColumns;
            _delimiter = chunk.Delimiter;
            _decimal = chunk.Decimal;
            _columns = NewColumns();
        }
        if (!ReferenceEquals(chunk, _chunk))
        {
            // Shards may order their columns differently: the chunk's columns by this sample's names.
            _chunk = chunk;
            _chunkColumns = [.. _names.Select(name => chunk.Find(name)!)];
            TablePart part = chunk.PartOf(0);
            if (_parts.Count == 0 || _parts[^1] != part) _parts.Add(part);
        }
        int at = _keys.Count;
        for (int c = 0; c < _columns.Length; c++) _columns[c].AppendCell(_chunkColumns[c], row, at);
        _keys.Add(key);
        _lines.Add(chunk.LineOf(row));
        _partOfRow.Add(_parts.Count - 1);
        if (at % 1024 == 1023 && BytesHeld > maxBytes)
        {
            Shrink();
        }
    }

    /// <summary>The rows held, in stream order, as a table (their locations the files' own).</summary>
    /// <exception cref="InvalidOperationException">No row was sampled.</exception>
    public Table ToTable()
    {
        if (_columns is null || Count == 0)
        {
            throw new InvalidOperationException("The sample holds no row.");
        }
        var parts = new List<TablePart>();
        for (int r = 0; r < Count; r++)
        {
            if (r == 0 || _partOfRow[r] != _partOfRow[r - 1])
            {
                parts.Add(_parts[_partOfRow[r]] with { FirstRow = r });
            }
        }
        return Table.Create(source, _delimiter, _decimal, _columns, _lines, [.. parts]);
    }

    private long BytesHeld => 16L * Count + _columns!.Sum(c => c.BytesHeld);

    private TableColumn[] NewColumns()
    {
        TableColumn[] columns = Table.CreateColumns(_names, source, _text, _decimal == ',' ? DecimalSeparators.Comma : DecimalSeparators.Point,
            headerOfNames: true);
        for (int c = 0; c < columns.Length; c++) columns[c].Unsupported = _unsupported[c];
        return columns;
    }

    /// <summary>
    /// Lowers the rate to <paramref name="rate"/> (if it is lower), dropping the rows whose keys are not below it: the sample the
    /// stream gives at that rate. The ranks of a data-parallel run bring their samples to the lowest rate among them, so that
    /// their union is a uniform sample of the whole data.
    /// </summary>
    public void LowerRate(double rate)
    {
        if (rate < Rate && _columns is not null)
        {
            Rate = rate;
            KeepBelowRate();
        }
    }

    // Halves the rate until the rows held fit the bound, keeping the rows whose keys are below it.
    private void Shrink()
    {
        while (BytesHeld > maxBytes && Count > 1)
        {
            Rate /= 2;
            KeepBelowRate();
        }
    }

    private void KeepBelowRate()
    {
        TableColumn[] columns = NewColumns();
        var keys = new List<double>();
        var lines = new ChunkedList<int>();
        var partOfRow = new ChunkedList<int>();
        for (int r = 0; r < _keys.Count; r++)
        {
            if (_keys[r] >= Rate) continue;
            for (int c = 0; c < columns.Length; c++) columns[c].AppendCell(_columns![c], r, keys.Count);
            keys.Add(_keys[r]);
            lines.Add(_lines[r]);
            partOfRow.Add(_partOfRow[r]);
        }
        _columns = columns;
        _keys.Clear();
        _keys.AddRange(keys);
        _lines = lines;
        _partOfRow = partOfRow;
    }
}
