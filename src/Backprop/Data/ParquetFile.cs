using System.Buffers;
using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Backprop.Data;

/// <summary>
/// Reads a Parquet file into the columns of a <see cref="Table"/>, one row group at a time, with Parquet.Net (fully managed,
/// so the library stays pure managed; docs/data.md has the measurement behind the choice).
/// </summary>
/// <remarks>
/// Each column gets the inference a CSV file's would: numbers of any physical width are numeric columns (decimals and 64-bit
/// integers as the nearest <see cref="double"/>); strings go through the same cell parser as CSV text, so a string column of
/// numbers is numeric and <c>NA</c> is missing; booleans are the text <c>true</c>/<c>false</c>; dates, times and UUIDs are their
/// ISO 8601 / canonical text. Nulls are missing cells. A column named in <see cref="CsvReadOptions.TextColumns"/> is text
/// whatever its type, its numbers written as invariant-culture text. Nested columns (lists, maps, structs) and binary columns
/// are not read: they become columns of missing cells marked <see cref="TableColumn.Unsupported"/>, which the preprocessing
/// refuses by name only where they would be used (so <c>--drop</c> leaves them out).
/// </remarks>
internal static class ParquetFile
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Whether the file at <paramref name="path"/> is Parquet: its name ends in <c>.parquet</c>, or its bytes begin with <c>PAR1</c>.</summary>
    public static bool IsParquet(string path)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parq", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            Span<byte> start = stackalloc byte[4];
            return stream.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && start.SequenceEqual(Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the CSV reader says what is wrong with the file
        }
    }

    /// <summary>The columns of the Parquet file at <paramref name="path"/>, the row number (from 1) of each row, and the first row of each row group.</summary>
    /// <exception cref="BackpropException">The file is not Parquet, is damaged, has no rows, or has a column that cannot be a feature or target.</exception>
    public static (TableColumn[] Columns, ChunkedList<int> Rows, int[] RowGroupStarts) Read(string path, string source, CsvReadOptions options,
        IReadOnlySet<string> textColumns)
    {
        using (FileStream stream = Open(path))
        {
            try
            {
                var budget = new MemoryBudget(source, options.MaxMemory ?? MemoryBudget.Available(), stream);
                // Parquet.Net's API is asynchronous; these are reads of a local file, with no synchronization context to deadlock on.
                return ReadAsync(stream, source, options, textColumns, budget).GetAwaiter().GetResult();
            }
            catch (BackpropException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A damaged or truncated file makes the decoder throw whatever it meets (I/O, format, range, an unsupported
                // encoding): none of it is the caller's bug, and the message names the file and what the decoder said.
                throw DataErrors.NotParquet(source, e);
            }
        }
    }

    private static async Task<(TableColumn[], ChunkedList<int>, int[])> ReadAsync(Stream stream, string source, CsvReadOptions options,
        IReadOnlySet<string> textColumns, MemoryBudget budget)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
        Layout layout = LayoutOf(reader, source, options, textColumns);
        TableColumn[] columns = layout.NewColumns(source);
        var rows = new ChunkedList<int>();
        int[] starts = RowGroupStarts(reader, source);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            int count = await ReadGroup(reader, g, layout, columns, starts[g]).ConfigureAwait(false);
            for (int r = 0; r < count; r++) rows.Add(starts[g] + r + 1);
            budget.Check(rows.Count, columns);
        }
        if (rows.Count == 0)
        {
            throw DataErrors.NoRows(source, columns.Select(c => c.Name).ToArray());
        }
        return (columns, rows, starts);
    }

    /// <summary>
    /// The Parquet file at <paramref name="path"/> one row group at a time: each group's columns (rows numbered from 0 within the
    /// group), the row number in the file (from 1) of each of its rows, and the first row of every group. Only one group is held.
    /// </summary>
    /// <exception cref="BackpropException">The file is not Parquet, is damaged, or has no rows.</exception>
    public static IEnumerable<(TableColumn[] Columns, ChunkedList<int> Rows, int[] RowGroupStarts)> ReadGroups(string path, CsvReadOptions options,
        IReadOnlySet<string> textColumns)
    {
        using (FileStream stream = Open(path))
        {
            ParquetReader reader = Guarded(path, () => ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult());
            try
            {
                Layout layout = Guarded(path, () => LayoutOf(reader, path, options, textColumns));
                int[] starts = Guarded(path, () => RowGroupStarts(reader, path));
                int total = 0;
                for (int g = 0; g < starts.Length; g++)
                {
                    TableColumn[] columns = layout.NewColumns(path);
                    int count = Guarded(path, () => ReadGroup(reader, g, layout, columns, 0).GetAwaiter().GetResult());
                    var rows = new ChunkedList<int>();
                    for (int r = 0; r < count; r++) rows.Add(starts[g] + r + 1);
                    total += count;
                    if (count > 0) yield return (columns, rows, starts);
                }
                if (total == 0)
                {
                    throw DataErrors.NoRows(path, layout.Names);
                }
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataErrors.Unreadable(path, e);
        }
    }

    // What the decoder throws on a damaged file becomes one line naming it (see Read).
    private static TResult Guarded<TResult>(string source, Func<TResult> read)
    {
        try
        {
            return read();
        }
        catch (BackpropException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw DataErrors.NotParquet(source, e);
        }
    }

    // Which columns are read and how: a data field of a type read (its kind), or a column that is not (why).
    private sealed record Layout(string[] Names, DataField?[] Fields, CellKind?[] Kinds, string?[] Unsupported, HashSet<string> Text)
    {
        public TableColumn[] NewColumns(string source)
        {
            TableColumn[] columns = Table.CreateColumns(Names, source, Text, DecimalSeparators.Point, headerOfNames: true);
            for (int c = 0; c < columns.Length; c++) columns[c].Unsupported = Unsupported[c];
            return columns;
        }
    }

    private static Layout LayoutOf(ParquetReader reader, string source, CsvReadOptions options, IReadOnlySet<string> textColumns)
    {
        IReadOnlyList<Field> fields = reader.Schema.Fields;
        if (fields.Count > options.MaxColumns)
        {
            throw DataErrors.TooManyColumns(source, fields.Count, options.MaxColumns);
        }
        var dataFields = new DataField?[fields.Count];
        var kinds = new CellKind?[fields.Count];
        var unsupported = new string?[fields.Count];
        for (int c = 0; c < fields.Count; c++)
        {
            if (fields[c] is not DataField { IsArray: false } field)
            {
                unsupported[c] = $"a {fields[c].SchemaType.ToString().ToLowerInvariant()} column";
                continue;
            }
            dataFields[c] = field;
            kinds[c] = KindOf(field.ClrType);
            if (kinds[c] is null) unsupported[c] = $"a column of {TypeName(field.ClrType)}";
        }
        // A column that is not read is text (its cells all missing), so that it can never pass for numbers.
        var text = new HashSet<string>(textColumns, StringComparer.Ordinal);
        text.UnionWith(fields.Where((_, c) => unsupported[c] is not null).Select(f => f.Name));
        return new Layout(fields.Select(f => f.Name).ToArray(), dataFields, kinds, unsupported, text);
    }

    // The first row (from 0) of every row group.
    private static int[] RowGroupStarts(ParquetReader reader, string source)
    {
        var starts = new int[reader.RowGroupCount];
        long row = 0;
        for (int g = 0; g < starts.Length; g++)
        {
            starts[g] = (int)row;
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            row += group.RowCount;
            if (row > int.MaxValue)
            {
                throw new BackpropException($"Expected at most {int.MaxValue:N0} rows. Received: more in {source} (row group {g + 1}).");
            }
        }
        return starts;
    }

    // Appends row group g's cells to the columns, its rows numbered from first (for the cells' messages) -> its row count.
    private static async Task<int> ReadGroup(ParquetReader reader, int g, Layout layout, TableColumn[] columns, int first)
    {
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
        int count = (int)group.RowCount;
        for (int c = 0; c < columns.Length; c++)
        {
            if (layout.Kinds[c] is CellKind kind)
            {
                await ReadColumn(group, layout.Fields[c]!, kind, count, columns[c], first).ConfigureAwait(false);
            }
            else
            {
                for (int r = 0; r < count; r++) columns[c].AppendNull(first + r);
            }
        }
        return count;
    }

    private enum CellKind { Double, Single, Half, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Decimal, BigInteger, Boolean, String, DateTime, DateOnly, TimeOnly, TimeSpan, DateTimeOffset, Guid }

    private static CellKind? KindOf(Type type) => type switch
    {
        _ when type == typeof(double) => CellKind.Double,
        _ when type == typeof(float) => CellKind.Single,
        _ when type == typeof(Half) => CellKind.Half,
        _ when type == typeof(sbyte) => CellKind.SByte,
        _ when type == typeof(byte) => CellKind.Byte,
        _ when type == typeof(short) => CellKind.Int16,
        _ when type == typeof(ushort) => CellKind.UInt16,
        _ when type == typeof(int) => CellKind.Int32,
        _ when type == typeof(uint) => CellKind.UInt32,
        _ when type == typeof(long) => CellKind.Int64,
        _ when type == typeof(ulong) => CellKind.UInt64,
        _ when type == typeof(decimal) => CellKind.Decimal,
        _ when type == typeof(BigInteger) => CellKind.BigInteger,
        _ when type == typeof(bool) => CellKind.Boolean,
        _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => CellKind.String,
        _ when type == typeof(DateTime) => CellKind.DateTime,
        _ when type == typeof(DateOnly) => CellKind.DateOnly,
        _ when type == typeof(TimeOnly) => CellKind.TimeOnly,
        _ when type == typeof(TimeSpan) => CellKind.TimeSpan,
        _ when type == typeof(DateTimeOffset) => CellKind.DateTimeOffset,
        _ when type == typeof(Guid) => CellKind.Guid,
        _ => null,
    };

    private static string TypeName(Type type) => type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) ? "binary values" : $"{type.Name} values";

    private static Task ReadColumn(ParquetRowGroupReader group, DataField field, CellKind kind, int count, TableColumn column, int first) => kind switch
    {
        CellKind.Double => ReadNumbers<double>(group, field, count, column, first),
        CellKind.Single => ReadNumbers<float>(group, field, count, column, first),
        CellKind.Half => ReadNumbers<Half>(group, field, count, column, first),
        CellKind.SByte => ReadNumbers<sbyte>(group, field, count, column, first),
        CellKind.Byte => ReadNumbers<byte>(group, field, count, column, first),
        CellKind.Int16 => ReadNumbers<short>(group, field, count, column, first),
        CellKind.UInt16 => ReadNumbers<ushort>(group, field, count, column, first),
        CellKind.Int32 => ReadNumbers<int>(group, field, count, column, first),
        CellKind.UInt32 => ReadNumbers<uint>(group, field, count, column, first),
        CellKind.Int64 => ReadNumbers<long>(group, field, count, column, first),
        CellKind.UInt64 => ReadNumbers<ulong>(group, field, count, column, first),
        CellKind.Decimal => ReadNumbers<decimal>(group, field, count, column, first),
        CellKind.BigInteger => ReadNumbers<BigInteger>(group, field, count, column, first),
        CellKind.Boolean => ReadText<bool>(group, field, count, column, first, static (b, _) => b ? "true" : "false"),
        CellKind.String => ReadStrings(group, field, count, column, first),
        CellKind.DateTime => ReadText<DateTime>(group, field, count, column, first, static (v, c) => v.ToString(v.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", c)),
        CellKind.DateOnly => ReadText<DateOnly>(group, field, count, column, first, static (v, c) => v.ToString("yyyy-MM-dd", c)),
        CellKind.TimeOnly => ReadText<TimeOnly>(group, field, count, column, first, static (v, c) => v.ToString("HH:mm:ss.FFFFFFF", c)),
        CellKind.TimeSpan => ReadText<TimeSpan>(group, field, count, column, first, static (v, c) => v.ToString("c", c)),
        CellKind.DateTimeOffset => ReadText<DateTimeOffset>(group, field, count, column, first, static (v, c) => v.ToString("O", c)),
        CellKind.Guid => ReadText<Guid>(group, field, count, column, first, static (v, _) => v.ToString("D")),
        _ => throw new InvalidOperationException($"Unhandled cell kind {kind}."),
    };

    // Numbers go into a numeric column as the nearest double; into a text column (--categorical) as their invariant text.
    private static async Task ReadNumbers<TNumber>(ParquetRowGroupReader group, DataField field, int count, TableColumn column, int first)
        where TNumber : struct, INumberBase<TNumber>
    {
        TNumber?[] values = ArrayPool<TNumber?>.Shared.Rent(count);
        try
        {
            await ReadValues(group, field, values, count).ConfigureAwait(false);
            for (int r = 0; r < count; r++)
            {
                if (values[r] is not TNumber value)
                {
                    column.AppendNull(first + r);
                }
                else if (column.IsNumeric)
                {
                    column.Append(double.CreateSaturating(value), first + r);
                }
                else
                {
                    column.Append(value.ToString(typeof(TNumber) == typeof(double) || typeof(TNumber) == typeof(float) ? "R" : null, CultureInfo.InvariantCulture), first + r);
                }
            }
        }
        finally
        {
            ArrayPool<TNumber?>.Shared.Return(values);
        }
    }

    private static async Task ReadText<TValue>(ParquetRowGroupReader group, DataField field, int count, TableColumn column, int first,
        Func<TValue, CultureInfo, string> text) where TValue : struct
    {
        TValue?[] values = ArrayPool<TValue?>.Shared.Rent(count);
        try
        {
            await ReadValues(group, field, values, count).ConfigureAwait(false);
            for (int r = 0; r < count; r++)
            {
                if (values[r] is TValue value) column.Append(text(value, CultureInfo.InvariantCulture), first + r);
                else column.AppendNull(first + r);
            }
        }
        finally
        {
            ArrayPool<TValue?>.Shared.Return(values);
        }
    }

    // The first `count` values of a column of structs into `values` (null where missing). A required column (no definition
    // levels) is read into values that cannot be null: Parquet.Net 6.1.0 reading one into nullable values sometimes makes
    // nulls of some of them and shifts the rest (measured: a 600,000-row file of 19 row groups, 3 reads in 30 wrong, each a
    // different way), and it cannot hold a null anyway.
    private static async Task ReadValues<TValue>(ParquetRowGroupReader group, DataField field, TValue?[] values, int count) where TValue : struct
    {
        if (field.MaxDefinitionLevel > 0)
        {
            await group.ReadAsync<TValue>(field, values.AsMemory(0, count)).ConfigureAwait(false);
            return;
        }
        TValue[] required = ArrayPool<TValue>.Shared.Rent(count);
        try
        {
            await group.ReadAsync<TValue>(field, required.AsMemory(0, count)).ConfigureAwait(false);
            for (int r = 0; r < count; r++) values[r] = required[r];
        }
        finally
        {
            ArrayPool<TValue>.Shared.Return(required);
        }
    }

    private static async Task ReadStrings(ParquetRowGroupReader group, DataField field, int count, TableColumn column, int first)
    {
        string?[] values = ArrayPool<string?>.Shared.Rent(count);
        try
        {
            await group.ReadAsync(field, values.AsMemory(0, count)).ConfigureAwait(false);
            for (int r = 0; r < count; r++)
            {
                if (values[r] is string value) column.Append(value.AsSpan(), first + r);
                else column.AppendNull(first + r);
            }
        }
        finally
        {
            ArrayPool<string?>.Shared.Return(values, clearArray: true);
        }
    }
}
