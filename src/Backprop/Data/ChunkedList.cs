namespace Backprop.Data;

/// <summary>An append-only list stored in fixed-size chunks.</summary>
/// <remarks>
/// Why not <see cref="List{T}"/>: growing a list doubles and copies its buffer, so a column of a million values briefly
/// needs three times its size; chunks never move, so a column costs its own size plus at most one partly filled chunk.
/// </remarks>
internal sealed class ChunkedList<T> where T : unmanaged
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;
    private const int FirstChunkSize = 16;

    private readonly List<T[]> _chunks = [];
    private T[] _current = [];

    /// <summary>Number of values appended.</summary>
    public int Count { get; private set; }

    /// <summary>The value at <paramref name="index"/> (not range-checked beyond the chunk arrays' own checks).</summary>
    public T this[int index] => _chunks[index >> ChunkBits][index & ChunkMask];

    /// <summary>Appends <paramref name="value"/>.</summary>
    public void Add(T value)
    {
        int offset = Count & ChunkMask;
        if (offset == 0)
        {
            _current = new T[_chunks.Count == 0 ? FirstChunkSize : ChunkSize];
            _chunks.Add(_current);
        }
        else if (offset == _current.Length)
        {
            // Only the first chunk grows (the later ones start full-size): indices stay index >> ChunkBits, index & ChunkMask.
            Array.Resize(ref _current, Math.Min(2 * _current.Length, ChunkSize));
            _chunks[^1] = _current;
        }
        _current[offset] = value;
        Count++;
    }

    /// <summary>Removes every value and frees the chunks.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _current = [];
        Count = 0;
    }
}
