using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>Every malformed input gives one clear line: what was expected, what was received, and where.</summary>
public sealed class CsvErrorTests : TempFileTest
{
    private string ReadError(string text, CsvReadOptions? options = null) => ReadFileError(Files.Write("bad.csv", text), options);

    private static string ReadFileError(string path, CsvReadOptions? options = null)
    {
        var e = Assert.Throws<BackpropException>(() => Table.Read(path, options));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void File_not_found()
    {
        string path = Path.Combine(Files.Directory, "nope.csv");
        string message = ReadFileError(path);
        Assert.StartsWith("Expected an existing CSV or Parquet file, a folder of them, or a glob. Received: '", message);
        Assert.Contains("nope.csv', which does not exist", message);
    }

    [Fact]
    public void An_unreadable_file()
    {
        string path = Files.Write("locked.csv", "a,b\n1,2\n");
        // Held without sharing (on Unix .NET enforces this with an advisory lock that its own opens respect).
        using var holder = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.StartsWith($"Expected a readable CSV file. Received: '{path}', which could not be read (", ReadFileError(path));
    }

    [Fact]
    public void A_directory_is_read_as_shards_and_says_when_it_holds_none()
    {
        string folder = Path.Combine(Files.Directory, "empty");
        Directory.CreateDirectory(folder);
        Assert.Equal($"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{folder}'. Received: an empty folder.", ReadFileError(folder));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\r\n")]
    public void Empty_file(string text) =>
        Assert.Equal("Expected a header line and data rows. Received: an empty file (" + Path.Combine(Files.Directory, "bad.csv") + ").", ReadError(text));

    [Fact]
    public void Header_only() =>
        Assert.EndsWith("Received: only the header line (" + Path.Combine(Files.Directory, "bad.csv") + " line 1: a, b, c).", ReadError("a,b,c\n\n"));

    [Theory]
    [InlineData("1,2,3\n4,5,6\n", 3)]
    [InlineData("1,1,3\n4,5,6\n", 3)] // repeated numbers: data, not duplicate names
    [InlineData("5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,setosa\n", 4)] // Iris without its header: the label is text
    public void A_header_of_numbers_is_data(string text, int numbers)
    {
        string message = ReadError(text);
        Assert.StartsWith("Expected a header line of column names on line 1 of ", message);
        Assert.Contains($"which looks like data ({numbers} of ", message);
    }

    [Fact]
    public void Numeric_names_with_a_text_first_column_are_a_header()
    {
        Table table = Table.Read(Files.Write("years.csv", "country,1990,1991\nFrance,1.5,2.5\nChad,0.5,0.7\n"));
        Assert.Equal(["country", "1990", "1991"], table.ColumnNames);
    }

    [Fact]
    public void Ragged_row_names_the_line_and_the_counts()
    {
        // The quoted line break on line 3 makes the short row line 6, not row 4.
        string message = ReadError("a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5,6\n7,8\n");
        Assert.Equal($"Expected 3 fields on every row, as in the header. Received: 2 at {Files.Directory}/bad.csv line 6.", message);
    }

    [Fact]
    public void A_long_row_is_ragged_too() =>
        Assert.Contains("Received: 4 at", ReadError("a,b,c\n1,2,3\n1,2,3,4\n"));

    [Fact]
    public void An_unclosed_quote_is_pointed_out()
    {
        string message = ReadError("a,b\n1,2\n\"3,4\n5,6\n");
        Assert.Equal($"Expected a closing quote for the quoted field that starts at {Files.Directory}/bad.csv line 3. Received: the end of the file (an unterminated quote).",
            message);
    }

    // From the issue tracker: the open quote swallowed every later line into one field of a row that still had 3 fields, and the
    // run failed later with "Expected at least 2 classes".
    [Fact]
    public void An_unterminated_quote_in_the_last_field_is_reported_at_its_line_not_later()
    {
        string message = ReadError("a,b,y\r\n1,2,x\r\n3,4,y\r\n1,2,\"unterminated\r\n5,6,x\r\n7,8,y\r\n");
        Assert.EndsWith("bad.csv line 4. Received: the end of the file (an unterminated quote).", message);
    }

    [Fact]
    public void The_line_named_is_where_the_open_quote_is_not_where_its_row_starts()
    {
        // Row 2 starts on line 2 with a quoted line break (closed on line 3), and opens another quote on line 3.
        Assert.Contains("starts at " + Path.Combine(Files.Directory, "bad.csv") + " line 3.", ReadError("a,b,c\n\"x\ny\",\"z\n1,2,3\n"));
        // Quotes split across the reader's blocks are counted the same.
        Assert.Contains(" line 4.", ReadError("a,b\n1,2\n" + new string('x', 70_000) + ",3\n\"" + new string('y', 70_000) + "\n"));
    }

    [Fact]
    public void A_stray_quote_closed_lines_later_makes_a_ragged_row_that_says_so()
    {
        string message = ReadError("a,b\n\"1\n2,3\",4,5\n6,7\n");
        Assert.Contains("Received: 3 at", message);
        Assert.Contains("line 2 (the row spans several lines: an unclosed quote?)", message);
    }

    [Fact]
    public void Duplicate_column_names() =>
        Assert.Contains("Received: 'a' as column 1 and column 3.", ReadError("a,b,a\n1,2,3\n"));

    [Fact]
    public void Nul_bytes_mean_a_binary_file()
    {
        string path = Files.WriteBytes("bin.csv", [.. "a,b\n1,2\n3,"u8.ToArray(), 0, 0, 1, 2, (byte)'\n']);
        Assert.Equal($"Expected a UTF-8 text file. Received: a NUL byte at {path} line 3 (a binary file?).", ReadFileError(path));
    }

    [Fact]
    public void Invalid_utf8_is_not_text()
    {
        // 0xC3 must be followed by a continuation byte (0x80–0xBF); '(' is not one.
        string path = Files.WriteBytes("latin.csv", [.. "name,n\nok,1\n"u8.ToArray(), 0xC3, (byte)'(', .. ",1\n"u8.ToArray()]);
        Assert.Equal($"Expected a UTF-8 text file. Received: bytes that are not valid UTF-8 at {path} line 3 (a binary file, or another encoding: save it as UTF-8).",
            ReadFileError(path));
    }

    [Fact]
    public void A_binary_file_with_random_bytes_is_rejected()
    {
        var random = new Random(3);
        var bytes = new byte[100_000];
        random.NextBytes(bytes);
        bytes[0] = (byte)'a'; // not a byte-order mark
        string message = ReadFileError(Files.WriteBytes("random.bin", bytes));
        Assert.StartsWith("Expected a UTF-8 text file.", message);
    }

    [Fact]
    public void Too_many_columns()
    {
        string header = string.Join(",", Enumerable.Range(0, 11).Select(i => $"c{i}"));
        Assert.Contains("Expected at most 10 columns. Received: 11 in the header of", ReadError(header + "\n" + new string(',', 10) + "\n", new CsvReadOptions(MaxColumns: 10)));
    }

    [Fact]
    public void A_row_longer_than_the_bound_stops_reading()
    {
        string message = ReadError("a,b\n1,2\n" + new string('9', 500) + ",1\n", new CsvReadOptions(MaxRowLength: 100));
        Assert.Contains("Expected rows of at most 100 characters. Received: a longer row starting at ", message);
        Assert.Contains("line 3 ", message);
    }

    [Fact]
    public void Long_rows_across_read_blocks_are_measured_whole()
    {
        // Rows longer than the reader's blocks but shorter than the bound are fine; one row over it is not.
        string row = new string('7', 15_000) + ",1\n";
        string ok = "a,b\n" + row + row + row;
        var options = new CsvReadOptions(MaxRowLength: 20_000);
        Assert.Equal(3, Table.Read(Files.Write("ok.csv", ok), options).RowCount);
        string message = ReadError(ok + new string('8', 30_000) + ",1\n" + row, options);
        Assert.Contains("a longer row starting at ", message);
        Assert.Contains("line 5 (", message);
    }

    [Fact]
    public void An_unclosed_quote_in_a_big_file_hits_the_row_bound()
    {
        // Without the bound, the parser would buffer the whole rest of the file as one row.
        string rest = string.Concat(Enumerable.Repeat("1,2\n", 100));
        string message = ReadError("a,b\n\"1,2\n" + rest, new CsvReadOptions(MaxRowLength: 50));
        Assert.Contains("a longer row starting at ", message);
        Assert.Contains("line 2 (an unclosed quote, or not a CSV file?)", message);
    }

    [Fact]
    public void A_bad_explicit_delimiter_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => Table.Read(Files.Write("ok.csv", "a,b\n1,2\n"), new CsvReadOptions(Delimiter: '"')));

    // Found by CsvFuzzTests: a quoted header name may hold a line break, which every message quoting the name would carry.
    [Fact]
    public void A_line_break_in_a_column_name_is_refused() =>
        Assert.Equal("Expected column names without line breaks or other control characters in the header of " + Path.Combine(Files.Directory, "bad.csv")
            + ". Received: 'b\\nc' as column 2.", ReadError("a,\"b\nc\",d\n1,2,3\n"));

    // Found by CsvFuzzTests: a cell with a line break (valid inside quotes) made a two-line message.
    [Fact]
    public void A_quoted_cell_with_a_line_break_is_escaped_in_messages()
    {
        Table table = Table.Read(Files.Write("one-class.csv", "x,y\n1,\"a\nb\"\n2,\"a\nb\"\n"));
        var e = Assert.Throws<BackpropException>(() => Backprop.Preprocessing.TabularPreprocessor.Fit(table));
        Assert.Contains("only 'a\\nb'", e.Message);
    }

    // Found by CsvFuzzTests: every column took a full chunk (64 Ki values) for its first value, so a one-row file of 2,000
    // columns allocated about 1 GB, and one of 65,536 columns (the bound) would have needed 32 GB.
    [Fact]
    public void A_short_file_with_many_columns_costs_little_memory()
    {
        const int columns = 2_000;
        string path = Files.Write("wide.csv", string.Join(",", Enumerable.Range(0, columns).Select(c => $"c{c}")) + "\n"
            + string.Join(",", Enumerable.Range(0, columns)) + "\n");
        Table.Read(path); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Table table = Table.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(columns, table.Columns.Count);
        Assert.Equal(1_999.0, table.Columns[^1].GetNumber(0));
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes for {columns} columns of one row");
    }
}
