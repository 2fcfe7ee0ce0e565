using Backprop.Data;

namespace Backprop.Estimators;

/// <summary>
/// The part of a streamed table one rank of a data-parallel run reads, and the positions of its rows: with at least as many
/// files (shards) as ranks, each rank reads whole files of its own, the files dealt so that the ranks' bytes are about equal;
/// with fewer, every rank reads every file and keeps every <c>N</c>-th chunk. One process reads everything.
/// </summary>
/// <remarks>
/// A row's position is its file's place among all the data's files and its row in that file
/// (<c>file · 2⁴⁰ + row</c>), not its place in what a rank reads: the keys that hold rows out to validate and sample them
/// (<see cref="TableSample.Key"/>) are then the same whatever the number of ranks, and a run resumed on another number holds
/// out the same rows. Of one file, the position is the row.
/// </remarks>
internal sealed class StreamShare
{
    private const int FileShift = 40;

    private readonly Dictionary<string, int> _fileIndex;

    private StreamShare(IReadOnlyList<string> files, IReadOnlyList<string> read, int rank, int ranks, bool byChunk)
    {
        Files = files;
        Read = read;
        Rank = rank;
        Ranks = ranks;
        ByChunk = byChunk;
        _fileIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++) _fileIndex.TryAdd(files[i], i);
    }

    /// <summary>Every file of the data, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The files this rank reads, in order.</summary>
    public IReadOnlyList<string> Read { get; }

    /// <summary>This rank, from 0.</summary>
    public int Rank { get; }

    /// <summary>The ranks sharing the data.</summary>
    public int Ranks { get; }

    /// <summary>Whether every rank reads every file and keeps every <see cref="Ranks"/>-th chunk (fewer files than ranks).</summary>
    public bool ByChunk { get; }

    /// <summary>The files of the data at <paramref name="path"/> (a file, a folder or a glob of shards), and rank <paramref name="rank"/>'s share of them.</summary>
    /// <exception cref="BackpropException">No such file, or a folder or glob without data files.</exception>
    public static StreamShare Of(string path, int rank, int ranks)
    {
        IReadOnlyList<string> files = Shards.FilesOf(path);
        if (ranks <= 1)
        {
            return new StreamShare(files, files, 0, 1, byChunk: false);
        }
        if (files.Count < ranks)
        {
            return new StreamShare(files, files, rank, ranks, byChunk: true);
        }
        // The largest file first to the rank with the fewest bytes so far (the lowest rank of equals): every rank deals alike.
        long[] sizes = [.. files.Select(file => new FileInfo(file).Length)];
        var load = new long[ranks];
        var owner = new int[files.Count];
        foreach (int file in Enumerable.Range(0, files.Count).OrderByDescending(i => sizes[i]).ThenBy(i => i))
        {
            int least = 0;
            for (int r = 1; r < ranks; r++)
            {
                if (load[r] < load[least]) least = r;
            }
            owner[file] = least;
            load[least] += sizes[file];
        }
        return new StreamShare(files, [.. files.Where((_, i) => owner[i] == rank)], rank, ranks, byChunk: false);
    }

    /// <summary>This rank's chunks of the data, each with the position of its first row (see the remarks).</summary>
    public IEnumerable<(Table Chunk, long Position)> Chunks(CsvReadOptions read, int rowsPerChunk)
    {
        string? file = null;
        long rowInFile = 0, index = -1;
        int fileIndex = 0;
        foreach (Table chunk in Table.ReadChunks(Read, read, rowsPerChunk))
        {
            index++;
            if (chunk.Source != file)
            {
                file = chunk.Source;
                fileIndex = _fileIndex[file];
                rowInFile = 0;
            }
            long position = ((long)fileIndex << FileShift) + rowInFile;
            rowInFile += chunk.RowCount;
            if (!ByChunk || index % Ranks == Rank)
            {
                yield return (chunk, position);
            }
        }
    }
}
