using Backprop.Data;

namespace Backprop.Tests.Data;

public sealed class CsvTableTests : TempFileTest
{
    private Table Read(string text, CsvReadOptions? options = null, bool bom = false) =>
        Table.Read(Files.Write("data.csv", text, bom), options);

    [Fact]
    public void Reads_numeric_and_text_columns_with_their_line_numbers()
    {
        Table table = Read("x,name,y\n1.5,ab,3\n-2e3,cd,4\n0,ab,5\n");
        Assert.Equal(["x", "name", "y"], table.ColumnNames);
        Assert.Equal(3, table.RowCount);
        Assert.Equal(',', table.Delimiter);
        TableColumn x = table.Find("x")!, name = table.Find("name")!;
        Assert.True(x.IsNumeric);
        Assert.Equal([1.5, -2000, 0], Enumerable.Range(0, 3).Select(x.GetNumber));
        Assert.False(name.IsNumeric);
        Assert.Equal(["ab", "cd"], name.Levels);
        Assert.Equal([0, 1, 0], Enumerable.Range(0, 3).Select(name.GetCode));
        Assert.Equal("cd", name.GetText(1));
        Assert.Equal([2, 3, 4], Enumerable.Range(0, 3).Select(table.LineOf));
        Assert.Null(table.Find("X"));
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Detects_the_delimiter_from_the_header(char delimiter)
    {
        // For the other delimiters, a comma inside a value (a decimal comma) must not split it.
        string d = delimiter.ToString(), b = delimiter == ',' ? "x" : "x,5";
        Table table = Read($"a{d}b{d}c\n1{d}{b}{d}3\n");
        Assert.Equal(delimiter, table.Delimiter);
        Assert.Equal(["a", "b", "c"], table.ColumnNames);
        Assert.Equal(b, table.Find("b")!.GetText(0));
        Assert.Equal(3, table.Find("c")!.GetNumber(0));
    }

    [Fact]
    public void An_explicit_delimiter_overrides_detection()
    {
        // Detection would pick ';' (two of them); the caller says ','.
        Table table = Read("a;x,b;y\n1;2,3;4\n", new CsvReadOptions(Delimiter: ','));
        Assert.Equal(["a;x", "b;y"], table.ColumnNames);
        Assert.Equal("1;2", table.Find("a;x")!.GetText(0));
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_doubled_quotes_and_line_breaks()
    {
        Table table = Read("text,n\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n\"\",4\nplain,5\n");
        TableColumn text = table.Find("text")!;
        Assert.Equal("a,b", text.GetText(0));
        Assert.Equal("say \"hi\"", text.GetText(1));
        Assert.Equal("two\nlines", text.GetText(2));
        Assert.True(text.IsMissing(3)); // "" is an empty cell
        Assert.Equal("plain", text.GetText(4));
        // The quoted line break moves every later row down one line.
        Assert.Equal([2, 3, 4, 6, 7], Enumerable.Range(0, 5).Select(table.LineOf));
        Assert.Equal([1.0, 2, 3, 4, 5], Enumerable.Range(0, 5).Select(table.Find("n")!.GetNumber));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_not_part_of_the_first_name()
    {
        Table table = Read("größe,été\n1,日本\n", bom: true);
        Assert.Equal(["größe", "été"], table.ColumnNames);
        Assert.Equal("日本", table.Find("été")!.GetText(0));
    }

    [Fact]
    public void Crlf_line_ends_leave_no_carriage_return_in_values()
    {
        Table table = Read("a,b\r\n1,x\r\n2,y\r\n");
        Assert.True(table.Find("b")!.Levels.All(level => !level.Contains('\r')));
        Assert.Equal(["x", "y"], table.Find("b")!.Levels);
        Assert.Equal([1.0, 2], Enumerable.Range(0, 2).Select(table.Find("a")!.GetNumber));
    }

    [Fact]
    public void Missing_markers_leave_a_numeric_column_numeric()
    {
        Table table = Read("v,w\n1,a\n,b\nNA,c\nn/a,d\nNaN,e\nnull,f\n?,g\n 7 ,h\n");
        TableColumn v = table.Find("v")!;
        Assert.True(v.IsNumeric);
        Assert.Equal(6, v.MissingCount);
        Assert.Equal(1, v.FirstMissingRow);
        Assert.Equal("", v.FirstMissingText);
        Assert.Equal([false, true, true, true, true, true, true, false], Enumerable.Range(0, 8).Select(v.IsMissing));
        Assert.Equal(7, v.GetNumber(7)); // spaces around a field are trimmed
    }

    [Fact]
    public void Missing_markers_in_a_text_column_are_not_categories()
    {
        Table table = Read("c\nred\nNA\n?\nblue\n");
        TableColumn c = table.Find("c")!;
        Assert.Equal(["red", "blue"], c.Levels);
        Assert.Equal([0, -1, -1, 1], Enumerable.Range(0, 4).Select(c.GetCode));
        Assert.Null(c.GetText(1));
    }

    [Fact]
    public void A_column_that_turns_to_text_after_numbers_keeps_their_spelling()
    {
        Table table = Read("code,n\n1.50,1\n007,2\nA1,3\n1.50,4\n");
        TableColumn code = table.Find("code")!;
        Assert.False(code.IsNumeric);
        Assert.Equal(["1.50", "007", "A1"], code.Levels);
        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(code.GetCode));
        Assert.Equal(2, code.FirstNonNumericRow);
        Assert.Equal("A1", code.FirstNonNumericText);
    }

    [Fact]
    public void Text_columns_asked_for_are_read_as_text()
    {
        Table table = Read("zip,n\n02134,1\n10001,2\n", new CsvReadOptions(TextColumns: ["zip"]));
        TableColumn zip = table.Find("zip")!;
        Assert.False(zip.IsNumeric);
        Assert.Equal(["02134", "10001"], zip.Levels);
        Assert.Equal(-1, zip.FirstNonNumericRow);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_unnamed_columns_get_a_name()
    {
        Table table = Read("a,\n\n1,2\n\n3,4\n\n\n");
        Assert.Equal(["a", "column2"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([3, 5], Enumerable.Range(0, 2).Select(table.LineOf));
    }

    [Theory]
    [InlineData("+5", 5.0)]
    [InlineData(".5", 0.5)]
    [InlineData("1E+03", 1000.0)]
    [InlineData("-0", -0.0)]
    public void Invariant_numbers_are_numbers(string text, double expected)
    {
        TableColumn a = Read($"a;b\n{text};1\n").Find("a")!;
        Assert.True(a.IsNumeric);
        Assert.Equal(expected, a.GetNumber(0));
    }

    [Theory]
    [InlineData("1,000,5")] // not well-formed groups (well-formed ones, "1,000" or "1 000", are numbers: ThousandsSeparatorTests)
    [InlineData("1 00")]
    [InlineData("1_000")]
    [InlineData("0x1A")]   // hexadecimal, not 0 in a unit 'x1A' (12abc and 1.5f are numbers with a unit word: NumberUnitsTests)
    [InlineData("0b101")]
    [InlineData("12 a b")]
    public void Other_spellings_are_text(string text)
    {
        TableColumn a = Read($"a;b\n{text};1\n").Find("a")!;
        Assert.False(a.IsNumeric);
        Assert.Equal(text, a.GetText(0));
    }

    [Fact]
    public void Infinities_are_remembered_not_stored_as_numbers()
    {
        Table table = Read("a\n1\ninf\n1e999\n");
        TableColumn a = table.Find("a")!;
        Assert.True(a.IsNumeric);
        Assert.Equal(1, a.FirstNonFiniteRow);
        Assert.Equal("inf", a.FirstNonFiniteText);
    }

    [Fact]
    public void A_stream_source_is_read_like_a_file()
    {
        byte[] bytes = "a,b\n1,2\n"u8.ToArray();
        int opened = 0;
        Table table = Table.Read(() => { opened++; return new MemoryStream(bytes); }, "memory");
        Assert.Equal("memory", table.Source);
        Assert.Equal(1, opened);
        Assert.Equal(2, table.Find("b")!.GetNumber(0));
    }

    // From trying real files: an inch mark in each of two rows opened a quote in the first and closed it in the second, and the
    // two rows were read as one, with no error (5 rows of 6). Python's csv and pandas read the quote as a character.
    [Fact]
    public void A_quote_inside_an_unquoted_field_is_a_character_of_the_field_as_pandas_reads_it()
    {
        Table table = Read("name,height,y\na,5.11\",1\nb,6.0\",0\nc,5.5,1\nO\"Brien,5.9,0\n\"d, e\",\"6.1\",1\n");
        Assert.Equal(5, table.RowCount);
        Assert.Equal([2, 3, 4, 5, 6], Enumerable.Range(0, 5).Select(table.LineOf));
        TableColumn name = table.Find("name")!, height = table.Find("height")!;
        Assert.Equal(["a", "b", "c", "O\"Brien", "d, e"], Enumerable.Range(0, 5).Select(name.GetText));
        Assert.False(height.IsNumeric); // as in pandas: '5.11"' is text
        Assert.Equal(["5.11\"", "6.0\"", "5.5", "5.9", "6.1"], Enumerable.Range(0, 5).Select(height.GetText));
    }

    [Fact]
    public void A_single_stray_quote_no_longer_reads_to_the_end_of_the_file_and_a_header_may_hold_one()
    {
        Table table = Read("x,size\"\n1,ab\"c\n2,de\n");
        Assert.Equal(["x", "size\""], table.ColumnNames);
        Assert.Equal(["ab\"c", "de"], Enumerable.Range(0, 2).Select(table.Find("size\"")!.GetText));
    }

    [Fact]
    public void A_header_with_an_inch_mark_ends_at_its_line_and_its_delimiter_is_found()
    {
        // The header's quote opens nothing, so the header is its first line, not the file up to the row bound.
        string rows = string.Concat(Enumerable.Range(0, 50).Select(i => $"{i};{i % 3}\n"));
        Table table = Read("size\";class\n" + rows, new CsvReadOptions(MaxRowLength: 100));
        Assert.Equal(';', table.Delimiter);
        Assert.Equal(["size\"", "class"], table.ColumnNames);
        Assert.Equal(50, table.RowCount);
        // A header really left open is bounded as a row is.
        var e = Assert.Throws<BackpropException>(() => Read("\"size;class\n" + rows, new CsvReadOptions(MaxRowLength: 100)));
        Assert.StartsWith("Expected rows of at most 100 characters. Received: a longer row starting at ", e.Message);
    }

    [Fact]
    public void Stray_quotes_are_characters_in_whitespace_delimited_text_and_in_chunked_reads()
    {
        Table table = Read("name height\nab 5\"  \n\"c d\" 6\"\n", new CsvReadOptions(Delimiter: CsvReadOptions.Whitespace));
        Assert.Equal(["5\"", "6\""], Enumerable.Range(0, 2).Select(table.Find("height")!.GetText));
        Assert.Equal(["ab", "c d"], Enumerable.Range(0, 2).Select(table.Find("name")!.GetText));

        string path = Files.Write("chunks.csv", "a,b\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},x{i}\"\n")));
        string?[] texts = [.. Table.ReadChunks(path, rowsPerChunk: 64).SelectMany(chunk => Enumerable.Range(0, chunk.RowCount).Select(chunk.Find("b")!.GetText))];
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"x{i}\""), texts);
    }
}
