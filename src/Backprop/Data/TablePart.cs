namespace Backprop.Data;

/// <summary>One file of a <see cref="Table"/>: a single file, or one shard of several.</summary>
/// <param name="Source">The file's path as found (or the name given for a stream).</param>
/// <param name="FirstRow">The table's row at which this file's rows start.</param>
/// <param name="RowGroupStarts">
/// For a Parquet file, the first row of each row group within the file (from 0), and the table's positions of its rows are row
/// numbers from 1; <see langword="null"/> for a CSV file, whose positions are line numbers.
/// </param>
internal sealed record TablePart(string Source, int FirstRow, int[]? RowGroupStarts);
