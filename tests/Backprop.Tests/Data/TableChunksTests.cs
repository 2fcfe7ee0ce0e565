using System.Globalization;
using System.Text;
using Backprop.Data;
using ParquetSharp;

namespace Backprop.Tests.Data;

public sealed class TableChunksTests : TempFileTest
{
    // rows of x (a number, every 7th missing), name (a word), y (a class); row r is at line r + 2.
    private static string Csv(int rows, Func<int, string>? x = null)
    {
        var text = new StringBuilder("x,name,y\n");
        for (int r = 0; r < rows; r++)
        {
            text.Append(x?.Invoke(r) ?? (r % 7 == 3 ? "" : (r * 0.25).ToString(CultureInfo.InvariantCulture)))
                .Append(',').Append("w" + (r % 5)).Append(',').Append(r % 3 == 0 ? "a" : "b").Append('\n');
        }
        return text.ToString();
    }

    private static void AssertSameCells(Table whole, IReadOnlyList<Table> chunks)
    {
        int row = 0;
        foreach (Table chunk in chunks)
        {
            Assert.Equal(whole.ColumnNames, chunk.ColumnNames);
            for (int r = 0; r < chunk.RowCount; r++, row++)
            {
                Assert.Equal(whole.LocationOf(row), chunk.LocationOf(r));
                foreach (TableColumn column in chunk.Columns)
                {
                    TableColumn expected = whole.Find(column.Name)!;
                    Assert.Equal(expected.IsMissing(row), column.IsMissing(r));
                    if (expected.IsMissing(row)) continue;
                    if (expected.IsNumeric) Assert.Equal(expected.GetNumber(row), column.GetNumber(r));
                    else Assert.Equal(expected.GetText(row), column.GetText(r));
                }
            }
        }
        Assert.Equal(whole.RowCount, row);
    }

    [Fact]
    public void A_CSV_file_reads_in_chunks_of_the_rows_asked_with_the_cells_and_lines_of_the_whole_table()
    {
        string path = Files.Write("data.csv", Csv(1000));
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 300)];
        Assert.Equal([300, 300, 300, 100], chunks.Select(c => c.RowCount));
        AssertSameCells(Table.Read(path), chunks);
        Assert.Equal($"{path} line 302", chunks[1].LocationOf(0));
        Assert.All(chunks, c => Assert.Equal(path, c.Source));
    }

    [Fact]
    public void A_wide_CSV_file_reads_in_chunks_of_about_a_million_cells()
    {
        // 2,100 columns: 2^20 / 2,100 = 499 rows a chunk, below the 8,192 asked; a chunk of 8,192 would hold 17 M cells (138 MB).
        var text = new StringBuilder(string.Join(",", Enumerable.Range(0, 2100).Select(c => $"c{c}")) + "\n");
        for (int r = 0; r < 1200; r++) text.AppendJoin(',', Enumerable.Range(0, 2100).Select(c => (r + c) % 10)).Append('\n');
        string path = Files.Write("wide.csv", text.ToString());
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 8192)];
        Assert.Equal([499, 499, 202], chunks.Select(c => c.RowCount));
        AssertSameCells(Table.Read(path), chunks);
        // Fewer rows asked than fit: the rows asked.
        Assert.Equal([300, 300, 300, 300], Table.ReadChunks(path, rowsPerChunk: 300).Select(c => c.RowCount));
    }

    [Fact]
    public void A_Parquet_file_reads_by_row_groups_and_shards_one_after_the_other()
    {
        int rows = 250;
        string parquet = ApacheParquet.Write(Path.Combine(Files.Directory, "part-1.parquet"), 100, Compression.Snappy,
            ("x", Enumerable.Range(0, rows).Select(r => r % 7 == 3 ? (double?)null : r * 0.25).ToArray()),
            ("name", Enumerable.Range(0, rows).Select(r => "w" + (r % 5)).ToArray()),
            ("y", Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? "a" : "b").ToArray()));
        Files.Write("part-0.csv", Csv(40));
        Table[] chunks = [.. Table.ReadChunks(Files.Directory, rowsPerChunk: 16)];
        Assert.Equal([16, 16, 8, 100, 100, 50], chunks.Select(c => c.RowCount));
        AssertSameCells(Table.Read(Files.Directory), chunks);
        Assert.Equal($"{parquet} row 201 (row group 3 of 3)", chunks[5].LocationOf(0));
    }

    [Fact]
    public void Each_chunk_infers_its_own_kinds_so_a_column_of_numbers_then_text_shows_as_both()
    {
        string path = Files.Write("data.csv", Csv(100, r => r < 60 ? (r % 4 == 0 ? "" : r.ToString(CultureInfo.InvariantCulture)) : "n" + r));
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 50)];
        Assert.True(chunks[0].Find("x")!.IsNumeric);
        Assert.True(chunks[1].Find("x")!.NeedsTextReread); // 10 numbers, then text: their spelling is gone
        Table[] asText = [.. Table.ReadChunks(path, new CsvReadOptions(TextColumns: ["x"]), rowsPerChunk: 50)];
        AssertSameCells(Table.Read(path), asText);
    }

    [Fact]
    public void Errors_name_the_file_and_line_where_the_chunk_meets_them()
    {
        string ragged = Files.Write("ragged.csv", Csv(500) + "1,w,a,extra\n");
        var e = Assert.Throws<BackpropException>(() => Table.ReadChunks(ragged, rowsPerChunk: 64).Count());
        Assert.Contains("line 502", e.Message);

        // Decimal commas in one chunk and points in a later one are as ambiguous as in one table.
        string mixed = Files.Write("mixed.csv", "x;y\n" + string.Concat(Enumerable.Range(0, 100).Select(r => $"{r},5;a\n")) + "1.25;b\n");
        e = Assert.Throws<BackpropException>(() => Table.ReadChunks(mixed, rowsPerChunk: 32).Count());
        Assert.StartsWith($"Expected numbers written with one decimal separator in {mixed}.", e.Message);
        Assert.Contains("at line 102", e.Message);

        Assert.Throws<BackpropException>(() => Table.ReadChunks(Path.Combine(Files.Directory, "absent.csv")));
        string header = Files.Write("header.csv", "x,y\n");
        Assert.Throws<BackpropException>(() => Table.ReadChunks(header).Count());
    }
}
