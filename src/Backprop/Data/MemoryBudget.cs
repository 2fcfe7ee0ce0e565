using System.Globalization;

namespace Backprop.Data;

/// <summary>
/// Watches a table being read against the memory it may hold, and refuses the file as soon as its size shows that it would
/// not fit: after a few thousand rows, from what they hold and how far into the file they reach, rather than after the whole
/// file has been read into memory and the runtime has run out (an abort, not an error).
/// </summary>
/// <remarks>
/// The estimate is the table's own: 8 bytes a numeric cell, 4 a text cell, each distinct text once, 4 a row for its line
/// number; for a file of short numbers that is 2 to 4 times its size on disk. Checked every <see cref="CheckEvery"/> rows, so
/// it costs nothing measurable.
/// </remarks>
internal sealed class MemoryBudget(string source, long limit, Stream stream)
{
    /// <summary>Rows between two checks.</summary>
    public const int CheckEvery = 4096;

    private readonly long _length = stream.CanSeek ? stream.Length : -1;

    /// <summary>
    /// The memory the process can still take: what the runtime may use in all (the machine's memory, or a container's or
    /// <c>DOTNET_GCHeapHardLimit</c>'s limit) less what its heap holds now.
    /// </summary>
    public static long Available()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Max(0, total - GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Throws when the table read so far, or the whole file at the rate of the rows so far, would hold more than the limit.</summary>
    /// <param name="rows">The rows read so far.</param>
    /// <param name="columns">The table's columns, holding those rows.</param>
    /// <exception cref="TooLargeForMemoryException">The file would not fit.</exception>
    public void Check(int rows, IReadOnlyList<TableColumn> columns)
    {
        long held = 4L * rows;
        foreach (TableColumn column in columns) held += column.BytesHeld;
        long position = _length > 0 ? stream.Position : 0;
        // The stream's position runs ahead of the rows parsed by the readers' buffers, so the projection errs low, never high.
        long projected = position > 0 ? (long)(held * ((double)_length / position)) : held;
        if (projected > limit)
        {
            string size = _length > 0 ? $", {Size(_length)}" : "";
            string basis = position > 0 && position < _length ? $" (from its first {rows:N0} rows)" : "";
            string table = string.Create(CultureInfo.InvariantCulture,
                $"would take about {Size(projected)} as a table{basis}, more than the {Size(limit)} available for it");
            throw new TooLargeForMemoryException($"Expected data that fits in memory. Received: {source}{size}, which {table}; " +
                "train --stream reads data larger than memory in chunks; to read it whole, use a sample of its rows or fewer columns.", $"it {table}");
        }
    }

    /// <summary>A size in bytes for people: <c>812 KB</c>, <c>3.1 GB</c>.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
