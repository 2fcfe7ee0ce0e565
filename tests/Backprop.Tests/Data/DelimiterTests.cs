using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Data;

/// <summary>Detecting the delimiter, and files delimited by spaces: runs of them (aligned columns) or single ones.</summary>
public sealed class DelimiterTests : CsvFileTest
{
    [Theory]
    [InlineData("a,b,c", ',')]
    [InlineData("a;b;c", ';')]
    [InlineData("a\tb\tc", '\t')]
    [InlineData("a|b|c", '|')]
    [InlineData("a;x,b;y", ';')]                      // counted: two ';', one ','
    [InlineData("a,b;c|d", ';')]                      // a tie goes to the first of ; tab | ,
    [InlineData("a,b|c", '|')]
    [InlineData("Price, EUR;Qty", ';')]                // the comma, most likely inside a name, loses ties
    [InlineData("0,5;1,5;a", ';')]
    [InlineData("\"x;y\",\"z;w\",v", ',')]            // delimiters inside quotes do not count
    [InlineData("a b c", CsvReadOptions.Whitespace)]
    [InlineData("   OBS   GPA  TUCE ", CsvReadOptions.Whitespace)]
    [InlineData("\"first name\" age", CsvReadOptions.Whitespace)]
    [InlineData("first name,age", ',')]              // a space inside a name of a comma-separated header
    public void The_delimiter_is_the_one_the_header_holds_most(string header, char expected) =>
        Assert.Equal(expected, DelimiterDetection.Detect(header));

    [Theory]
    [InlineData("price")]
    [InlineData("  price  ")]
    [InlineData("\"unit price\"")]
    [InlineData("a:b:c")]
    [InlineData("")]
    public void A_header_of_one_name_has_no_delimiter(string header) =>
        Assert.Null(DelimiterDetection.Detect(header));

    // statsmodels' spector data as the Greene textbook prints it: aligned columns, leading spaces, runs of spaces.
    internal const string Spector =
        "  OBS   GPA  TUCE  PSI  GRADE\n" +
        "    1  2.66    20    0      0\n    2  2.89    22    0      0\n    3  3.28    24    0      0\n    4  2.92    12    0      0\n" +
        "    5  4.00    21    0      1\n    6  2.86    17    0      0\n    7  2.76    17    0      0\n    8  2.87    21    0      0\n" +
        "    9  3.03    25    0      0\n   10  3.92    29    0      1\n   11  2.63    20    0      0\n   12  3.32    23    0      0\n" +
        "   13  3.57    23    0      0\n   14  3.26    25    0      1\n   15  3.53    26    0      0\n   16  2.74    19    0      0\n" +
        "   17  2.75    25    0      0\n   18  2.83    19    0      0\n   19  3.12    23    1      0\n   20  3.16    25    1      1\n" +
        "   21  2.06    22    1      0\n   22  3.62    28    1      1\n   23  2.89    14    1      0\n   24  3.51    26    1      0\n" +
        "   25  3.54    24    1      1\n   26  2.83    27    1      1\n   27  3.39    17    1      1\n   28  2.67    24    1      0\n" +
        "   29  3.65    21    1      1\n   30  4.00    23    1      1\n   31  3.10    21    1      0\n   32  2.39    19    1      1\n";

    [Fact]
    public void A_file_in_aligned_columns_is_detected_and_read_like_its_comma_separated_twin()
    {
        Table spaces = Read(Spector);
        string csv = string.Join("\n", Spector.Split('\n').Select(line => string.Join(",", line.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        Table commas = Table.Read(Files.Write("spector.csv", csv));

        Assert.Equal(CsvReadOptions.Whitespace, spaces.Delimiter);
        Assert.Equal(["OBS", "GPA", "TUCE", "PSI", "GRADE"], spaces.ColumnNames);
        Assert.Equal(32, spaces.RowCount);
        Assert.Equal(commas.ColumnNames, spaces.ColumnNames);
        foreach (string column in commas.ColumnNames)
        {
            Assert.True(spaces.Find(column)!.IsNumeric, column);
            Assert.Equal(Numbers(commas, column), Numbers(spaces, column));
        }
        Assert.Equal(Enumerable.Range(2, 32), Enumerable.Range(0, 32).Select(spaces.LineOf));
        Assert.Equal("Table(" + spaces.Source + ": 32 rows × 5 columns, delimiter whitespace)", spaces.ToString());
        // Fitted alike, so a model trains alike.
        var options = new TabularOptions(Target: "GRADE", Drop: ["OBS"]);
        Assert.Equal(TabularPreprocessor.Fit(commas, options).State.ToJson(), TabularPreprocessor.Fit(spaces, options).State.ToJson());
    }

    [Fact]
    public void A_header_of_names_each_in_single_quotes_names_what_is_inside_them()
    {
        // spector.csv as statsmodels ships it: 'OBS' 'GPA' 'TUCE' 'PSI' 'GRADE', then rows of numbers.
        Table quoted = Read("'OBS' 'GPA' 'TUCE' 'PSI' 'GRADE'\n1 2.66 20 0 0\n2 2.89 22 0 0\n3 3.28 24 0 1\n");
        Assert.Equal(["OBS", "GPA", "TUCE", "PSI", "GRADE"], quoted.ColumnNames);
        // One quoted name among others is a name with quotes.
        Assert.Equal(["'a'", "b"], Read("'a',b\n1,2\n").ColumnNames);
    }

    [Fact]
    public void Runs_of_spaces_and_tabs_delimit_and_those_at_the_ends_of_a_line_do_not()
    {
        // Asked for: a header with a tab would be detected as tab-separated.
        Table table = Read(" \t name   \"home town\"\tn \r\n\r\n   ann \t \"New  York\"  1  \r\n bob Paris\t\t2\n\t\n \"\" \"\"  3 \n",
            new CsvReadOptions(Delimiter: CsvReadOptions.Whitespace));
        Assert.Equal(["name", "home town", "n"], table.ColumnNames);
        Assert.Equal(3, table.RowCount);
        Assert.Equal(["ann", "bob"], table.Find("name")!.Levels);
        Assert.Equal(["New  York", "Paris"], table.Find("home town")!.Levels); // spaces inside quotes are kept
        Assert.True(table.Find("name")!.IsMissing(2));                          // "" is an empty (missing) cell
        Assert.Equal([1.0, 2, 3], Numbers(table, "n"));
        Assert.Equal([3, 4, 6], Enumerable.Range(0, 3).Select(table.LineOf)); // blank lines (also of spaces) are skipped
    }

    [Fact]
    public void Whitespace_can_be_asked_for_and_a_wrong_count_of_fields_is_ragged_as_usual()
    {
        var options = new CsvReadOptions(Delimiter: CsvReadOptions.Whitespace);
        Assert.Equal([1.0, 2], Numbers(Read("a b\n1 5\n2     6\n", options), "a"));
        Assert.Contains("Expected 2 fields on every row, as in the header. Received: 3 at ", ReadError("a b\n1 5\n2 6 7\n", options));
        // A header with a comma would be detected as comma-separated: asked for, whitespace splits it.
        Assert.Equal(["x,y", "z"], Read("x,y z\n1 2\n", options).ColumnNames);
    }

    [Fact]
    public void A_single_space_delimits_one_field_each_so_two_spaces_hold_an_empty_cell()
    {
        Table table = Read("a b c\n1  3\n4 5 6\n", new CsvReadOptions(Delimiter: ' '));
        Assert.Equal(' ', table.Delimiter);
        Assert.True(table.Find("b")!.IsMissing(0));
        Assert.Equal([3.0, 6], Numbers(table, "c"));
        Assert.EndsWith("delimiter space)", table.ToString());
    }

    [Fact]
    public void Excels_sep_line_gives_the_delimiter_and_the_header_is_the_line_after_it()
    {
        // Excel reads a first line "sep=;" as the delimiter, and some programs write one for it: before, it was the header.
        Table table = Read("sep=;\r\nPrice, EUR;Qty\r\n1,5;2\r\n3;4\r\n");
        Assert.Equal(';', table.Delimiter);
        Assert.Equal(["Price, EUR", "Qty"], table.ColumnNames);
        Assert.Equal([3, 4], Enumerable.Range(0, 2).Select(table.LineOf));
        Assert.Contains(" line 4.", ReadError("sep=,\na,b\n1,2\n1\n"));
        // A delimiter given is the delimiter; the line is still no header.
        Table given = Read("sep=,\na;b\n1;2\n", new CsvReadOptions(Delimiter: ';'));
        Assert.Equal(["a", "b"], given.ColumnNames);
        Assert.Equal([3], Enumerable.Range(0, 1).Select(given.LineOf));
    }

    [Fact]
    public void Blank_lines_before_the_header_neither_hide_its_delimiter_nor_shift_the_line_numbers()
    {
        // Sep detected the delimiter from the first line, blank or not, and found ';' here.
        Table table = Read("\n  \r\n\r\n\ra,b\n1,2\n\n3,4\n");
        Assert.Equal(',', table.Delimiter);
        Assert.Equal(["a", "b"], table.ColumnNames);
        Assert.Equal([6, 8], Enumerable.Range(0, 2).Select(table.LineOf));
        Assert.Contains(" line 7.", ReadError("\n\n\n\na,b\n1,2\n1\n"));
    }

    [Fact]
    public void A_long_header_across_the_read_ahead_blocks_is_detected_whole()
    {
        string[] names = Enumerable.Range(0, 5_000).Select(i => $"column{i}").ToArray();
        string text = string.Join(";", names) + "\n" + string.Join(";", names.Select((_, i) => i)) + "\n";
        Table table = Read(text);
        Assert.Equal(';', table.Delimiter);
        Assert.Equal(names, table.ColumnNames);
        Assert.Equal(4_999.0, table.Columns[^1].GetNumber(0));
    }

    [Fact]
    public void Detected_whitespace_with_leading_spaces_and_tabs_inside_runs()
    {
        Table table = Read("   x    y   label\n  1.5 \t 2   a\n\n -3 4\t b  \n");
        Assert.Equal(CsvReadOptions.Whitespace, table.Delimiter);
        Assert.Equal([1.5, -3], Numbers(table, "x"));
        Assert.Equal([2.0, 4], Numbers(table, "y"));
        Assert.Equal(["a", "b"], table.Find("label")!.Levels);
        Assert.Equal([2, 4], Enumerable.Range(0, 2).Select(table.LineOf));
    }

    [Fact]
    public void A_file_read_as_one_column_says_so_where_a_column_is_missing()
    {
        Table table = Read("a:b:c\n1:2:3\n");
        Assert.Single(table.Columns);
                var fit = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table));
        Assert.Equal($"Expected a target column and feature columns in {DataPath}. Received: one column only, 'a:b:c' (is the delimiter something else? use --delimiter).",
            fit.Message);
        var target = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(Target: "b")));
        Assert.Equal($"Expected a target column and feature columns in {DataPath}. Received: one column only, 'a:b:c' (is the delimiter something else? use --delimiter).",
            target.Message);
        // A model's columns looked up in a file that reads as one column (predict, evaluate).
        Table model = Table.Read(Files.Write("train.csv", "a,b,c\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n"));
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(model);
        var transform = Assert.Throws<BackpropException>(() => preprocessor.TransformFeatures<float>(table));
        Assert.Equal($"Expected the column 'a' (a feature in training) among the columns of {DataPath}. Received: one column only, 'a:b:c' (is the delimiter something else? use --delimiter).",
            transform.Message);
        // The same file, with its delimiter given, is fine.
        Assert.Equal(3, Read("a:b:c\n1:2:3\n", new CsvReadOptions(Delimiter: ':')).Columns.Count);
    }

    [Fact]
    public void One_column_whose_name_could_not_hide_a_delimiter_is_not_blamed_on_the_delimiter()
    {
        Table table = Read("price\n1\n2\n");
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table));
        Assert.Equal($"Expected a target column and feature columns in {DataPath}. Received: one column only, 'price'.", e.Message);
    }

    [Theory]
    [InlineData('#')]      // Sep reserves it for comments
    [InlineData('€')]      // Sep takes ASCII only
    [InlineData('a')]
    [InlineData('7')]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('\u001F')]
    public void A_delimiter_the_parser_cannot_use_is_an_argument_error(char delimiter)
    {
        Assert.False(CsvReadOptions.IsDelimiter(delimiter));
        var e = Assert.Throws<ArgumentException>(() => Read("a,b\n1,2\n", new CsvReadOptions(Delimiter: delimiter)));
        Assert.StartsWith("Expected a delimiter that is a tab, a space, whitespace or an ASCII punctuation character other than \" and #. Received: '", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(':')]
    [InlineData('~')]
    [InlineData('/')]
    public void Other_ascii_punctuation_delimits(char delimiter)
    {
        Table table = Read($"a{delimiter}b\n1{delimiter}2\n", new CsvReadOptions(Delimiter: delimiter));
        Assert.Equal([2.0], Numbers(table, "b"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void The_rewritten_text_is_the_same_whatever_the_size_of_the_reads(int block)
    {
        const string text = "  a  b\t \"c  d\"  \r\n\t1 \"2\"\"  x\" 3\n\n  \n4 5 6   ";
        using var reader = new WhitespaceDelimitedReader(new StringReader(text));
        var result = new StringBuilder();
        var buffer = new char[block];
        int count;
        while ((count = reader.Read(buffer.AsSpan())) > 0) result.Append(buffer, 0, count);
        Assert.Equal("a b \"c  d\"\r\n1 \"2\"\"  x\" 3\n\n\n4 5 6", result.ToString());
    }
}
