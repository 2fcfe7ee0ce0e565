using System.Text;

namespace Backprop.Data;

/// <summary>
/// A table as bytes and tables back as one: how the ranks of a data-parallel run send each other the samples of their own
/// shards, so that every rank fits the same preprocessing on the same rows. Cells travel as they were read (numbers as
/// doubles, text as text, missing as missing), with the file and line of every row.
/// </summary>
internal static class TableBytes
{
    /// <summary>The table's columns, cells, lines and files.</summary>
    public static byte[] Write(Table table)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(table.Delimiter);
            writer.Write(table.Decimal);
            writer.Write(table.RowCount);
            writer.Write(table.Columns.Count);
            foreach (TableColumn column in table.Columns)
            {
                writer.Write(column.Name);
                writer.Write(column.IsNumeric);
                writer.Write(column.Unsupported is not null);
                if (column.Unsupported is { } unsupported) writer.Write(unsupported);
            }
            var parts = new List<TablePart>();
            for (int r = 0; r < table.RowCount; r++)
            {
                writer.Write(table.LineOf(r));
                if (r == 0 || table.PartOf(r) != table.PartOf(r - 1)) parts.Add(table.PartOf(r) with { FirstRow = r });
            }
            writer.Write(parts.Count);
            foreach (TablePart part in parts)
            {
                writer.Write(part.Source);
                writer.Write(part.FirstRow);
                writer.Write(part.RowGroupStarts?.Length ?? -1);
                foreach (int start in part.RowGroupStarts ?? []) writer.Write(start);
            }
            foreach (TableColumn column in table.Columns)
            {
                for (int r = 0; r < table.RowCount; r++)
                {
                    if (column.IsNumeric)
                    {
                        writer.Write(column.GetNumber(r));
                    }
                    else if (column.GetText(r) is { } text)
                    {
                        writer.Write(true);
                        writer.Write(text);
                    }
                    else
                    {
                        writer.Write(false);
                    }
                }
            }
        }
        return stream.ToArray();
    }

    /// <summary>
    /// The tables <paramref name="written"/> (by <see cref="Write"/>, with the same columns) one after the other, as one table
    /// named <paramref name="source"/>: a column text in any of them is text (<see cref="TableColumn.AppendCell"/>'s rule). An
    /// empty array stands for no table (a rank without rows); <see langword="null"/> when every one is empty.
    /// </summary>
    public static Table? Concatenate(string source, IReadOnlyList<byte[]> written)
    {
        if (written.All(bytes => bytes.Length == 0))
        {
            return null;
        }
        var readers = written.Where(bytes => bytes.Length > 0).Select(bytes => new BinaryReader(new MemoryStream(bytes), Encoding.UTF8)).ToArray();
        var headers = new List<(char Delimiter, char Decimal, int Rows, (string Name, bool Numeric, string? Unsupported)[] Columns)>();
        foreach (BinaryReader reader in readers)
        {
            char delimiter = reader.ReadChar(), decimalSeparator = reader.ReadChar();
            int rows = reader.ReadInt32();
            var columns = new (string, bool, string?)[reader.ReadInt32()];
            for (int c = 0; c < columns.Length; c++) columns[c] = (reader.ReadString(), reader.ReadBoolean(), reader.ReadBoolean() ? reader.ReadString() : null);
            headers.Add((delimiter, decimalSeparator, rows, columns));
        }
        string[] names = [.. headers[0].Columns.Select(c => c.Name)];
        var text = headers.SelectMany(h => h.Columns.Where(c => !c.Numeric).Select(c => c.Name)).ToHashSet(StringComparer.Ordinal);
        char delimiterOfAll = headers[0].Delimiter, decimalOfAll = headers.Any(h => h.Decimal == ',') ? ',' : '.';
        TableColumn[] all = Table.CreateColumns(names, source, text, decimalOfAll == ',' ? DecimalSeparators.Comma : DecimalSeparators.Point, headerOfNames: true);
        for (int c = 0; c < all.Length; c++) all[c].Unsupported = headers[0].Columns[c].Unsupported;
        var lines = new ChunkedList<int>();
        var parts = new List<TablePart>();
        int offset = 0;
        for (int t = 0; t < readers.Length; t++)
        {
            BinaryReader reader = readers[t];
            int rows = headers[t].Rows;
            if (!headers[t].Columns.Select(c => c.Name).SequenceEqual(names))
            {
                throw new InvalidOperationException("Tables of other columns cannot be concatenated.");
            }
            for (int r = 0; r < rows; r++) lines.Add(reader.ReadInt32());
            int partCount = reader.ReadInt32();
            for (int p = 0; p < partCount; p++)
            {
                string file = reader.ReadString();
                int first = reader.ReadInt32(), groups = reader.ReadInt32();
                int[]? starts = groups < 0 ? null : [.. Enumerable.Range(0, groups).Select(_ => reader.ReadInt32())];
                parts.Add(new TablePart(file, offset + first, starts));
            }
            for (int c = 0; c < all.Length; c++)
            {
                bool numeric = headers[t].Columns[c].Numeric;
                for (int r = 0; r < rows; r++)
                {
                    if (numeric)
                    {
                        double value = reader.ReadDouble();
                        if (all[c].IsNumeric) all[c].Append(value, offset + r);
                        else all[c].Append(double.IsNaN(value) ? "" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), offset + r);
                    }
                    else
                    {
                        all[c].Append(reader.ReadBoolean() ? reader.ReadString() : "", offset + r);
                    }
                }
            }
            offset += rows;
        }
        if (parts.Count == 0) parts.Add(new TablePart(source, 0, null));
        return Table.Create(source, delimiterOfAll, decimalOfAll, all, lines, [.. parts]);
    }
}
