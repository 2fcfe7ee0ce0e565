using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// Layouts that other tools write around the table: an empty unnamed column from a delimiter at the end of every line (Excel
/// exports), and R's row names before each row (write.table, printed data frames). The whole read, the chunked read and the
/// streamed read (which reads chunks) see the same columns.
/// </summary>
public sealed class CsvLayoutTests : TempFileTest
{
    private string Write(string text) => Files.Write("data.csv", text);

    private static double[] Numbers(Table table, string column) =>
        [.. Enumerable.Range(0, table.RowCount).Select(table.Find(column)!.GetNumber)];

    [Fact]
    public void A_delimiter_at_the_end_of_every_line_adds_no_column()
    {
        Table table = Table.Read(Write("x,z,y,\n1,2,a,\n2,3,b,\n3,1,a,\n"));
        Assert.Equal(["x", "z", "y"], table.ColumnNames);
        Assert.Equal([0, 1, 2], table.Columns.Select(c => c.Index));
        Assert.Equal("y", table.ColumnNames[^1]); // the default target
        Assert.Equal(["left out column 4: no name in the header and no value in any row (every line ends with a delimiter)"], table.Notes);
    }

    [Fact]
    public void An_unnamed_empty_column_in_the_middle_is_left_out_too()
    {
        Table table = Table.Read(Write("x;;y\n1;;a\n2; ;b\n"));
        Assert.Equal(["x", "y"], table.ColumnNames);
        Assert.Equal(["left out column 2: no name in the header and no value in any row"], table.Notes);
        Assert.Equal("b", table.Find("y")!.GetText(1));
    }

    [Fact]
    public void An_unnamed_column_with_values_or_a_named_empty_column_stays()
    {
        // pandas' index and R's write.csv row names are unnamed columns with values: read (and dropped later as identifiers).
        Table unnamed = Table.Read(Write("\"\",x,y\n\"a\",1,2\n\"b\",2,3\n"));
        Assert.Equal(["column1", "x", "y"], unnamed.ColumnNames);
        Table named = Table.Read(Write("x,empty,y\n1,,2\n2,,3\n"));
        Assert.Equal(["x", "empty", "y"], named.ColumnNames);
        Assert.Empty(unnamed.Notes);
        Assert.Empty(named.Notes);
    }

    [Fact]
    public void Chunks_leave_out_what_the_first_chunk_shows_empty_and_refuse_a_later_value_there()
    {
        string path = Write("x,y,\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{i % 2},\n")));
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 64)];
        Assert.All(chunks, chunk => Assert.Equal(["x", "y"], chunk.ColumnNames));
        Assert.All(chunks, chunk => Assert.Equal(Table.Read(path).Notes, chunk.Notes));

        string late = Write("x,y,\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{i % 2},{(i == 80 ? "7" : "")}\n")));
        Assert.Equal(["x", "y", "column3"], Table.Read(late).ColumnNames); // whole: it has a value, so it is a column
        var error = Assert.Throws<BackpropException>(() => Table.ReadChunks(late, rowsPerChunk: 64).ToList());
        Assert.Equal("Expected no value in column 3, which has no name in the header and no value in the rows read first (left out for that). " +
            $"Received: '7' at {late} line 82; give the column a name in the header.", error.Message);
    }

    // R: write.table(head(mtcars[, c("mpg", "cyl", "am")], 3), "mt.txt")
    private const string WriteTable = "\"mpg\" \"cyl\" \"am\"\n\"Mazda RX4\" 21 6 1\n\"Mazda RX4 Wag\" 21 6 1\n\"Datsun 710\" 22.8 4 1\n";

    // R: print(head(iris[, c(1, 2, 5)], 3))
    private const string Printed = "  Sepal.Length Sepal.Width Species\n1          5.1         3.5  setosa\n2          4.9         3.0  setosa\n3          4.7         3.2  setosa\n";

    [Fact]
    public void R_row_names_before_a_header_one_field_shorter_are_left_out()
    {
        Table table = Table.Read(Files.Write("mt.txt", WriteTable));
        Assert.Equal(CsvReadOptions.Whitespace, table.Delimiter);
        Assert.Equal(["mpg", "cyl", "am"], table.ColumnNames);
        Assert.Equal([21, 21, 22.8], Numbers(table, "mpg"));
        Assert.Equal([1, 1, 1], Numbers(table, "am"));
        Assert.Equal(["the header has one field fewer than the rows: the first field of each row read as a row name, not used"], table.Notes);

        Table printed = Table.Read(Files.Write("p.txt", Printed));
        Assert.Equal(["Sepal.Length", "Sepal.Width", "Species"], printed.ColumnNames);
        Assert.Equal([5.1, 4.9, 4.7], Numbers(printed, "Sepal.Length"));
        Assert.Equal([2, 3, 4], Enumerable.Range(0, 3).Select(printed.LineOf));
    }

    [Fact]
    public void Row_names_read_alike_whole_in_chunks_and_with_a_delimiter()
    {
        string rows = string.Concat(Enumerable.Range(1, 150).Select(i => $"r{i};{i * 0.5};{i % 3}\n"));
        string path = Write("x;y\n" + rows);
        Table whole = Table.Read(path);
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 64)];
        Assert.Equal(3, chunks.Length);
        Assert.All(chunks, chunk => Assert.Equal(["x", "y"], chunk.ColumnNames));
        Assert.All(chunks, chunk => Assert.Equal(whole.Notes, chunk.Notes));
        Assert.Equal(Numbers(whole, "x"), chunks.SelectMany(chunk => Numbers(chunk, "x")));
    }

    [Fact]
    public void Ragged_rows_are_still_refused_with_or_without_row_names()
    {
        var ragged = Assert.Throws<BackpropException>(() => Table.Read(Write("a,b,y\n1,2,3\n1,2\n")));
        Assert.Equal($"Expected 3 fields on every row, as in the header. Received: 2 at {Path.Combine(Files.Directory, "data.csv")} line 3.", ragged.Message);
        var longer = Assert.Throws<BackpropException>(() => Table.Read(Write("a,b,y\n1,2,3\n1,2,3,4\n")));
        Assert.Equal($"Expected 3 fields on every row, as in the header. Received: 4 at {Path.Combine(Files.Directory, "data.csv")} line 3.", longer.Message);
        var named = Assert.Throws<BackpropException>(() => Table.Read(Write("a,b\nr1,1,2\nr2,1\n")));
        Assert.Equal($"Expected 3 fields on every row, as on the first (line 2: a row name, then the header's 2). Received: 2 at {Path.Combine(Files.Directory, "data.csv")} line 3.",
            named.Message);
    }
}
