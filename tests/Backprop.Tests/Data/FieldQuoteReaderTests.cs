using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// Quotes read as RFC 4180 and Python's csv read them, the row bound and the unclosed quote, with read blocks as small as one
/// character so that every state straddles a block boundary.
/// </summary>
public class FieldQuoteReaderTests
{
    private const char S = FieldQuoteReader.StandIn;

    private static string ReadAll(string text, int block, int maxRowLength = 1_000, char delimiter = ',', bool whitespace = false)
    {
        using var reader = new FieldQuoteReader(new StringReader(text), delimiter, whitespace, "t.csv", maxRowLength);
        var result = new StringBuilder();
        var buffer = new char[block];
        int count;
        while ((count = reader.Read(buffer.AsSpan())) > 0) result.Append(buffer, 0, count);
        return result.ToString();
    }

    public static TheoryData<int> Blocks => [1, 2, 3, 7, 5000];

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_quote_inside_an_unquoted_field_is_a_character_of_it(int block)
    {
        // Inch marks, a name, a quote after a quoted field's closing quote; quotes at a field's start (after spaces), escaped
        // quotes and quoted delimiters and line breaks are left to the parser.
        string text = "name,height,note\r\nab,5.11\",O\"Brien\n\"x,y\", 6\",\"say \"\"hi\"\"\"\n  \"z\n2\",\"q\"r\"s,7\n";
        string expected = $"name,height,note\r\nab,5.11{S},O{S}Brien\n\"x,y\", 6{S},\"say \"\"hi\"\"\"\n  \"z\n2\",\"q\"r{S}s,7\n";
        Assert.Equal(expected, ReadAll(text, block));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_file_without_stray_quotes_passes_unchanged(int block)
    {
        string text = "a;b;c\n\"1;2\";\"\"\"\";3\n4;\"x\ny\";\n;;\"\"\n";
        Assert.Equal(text, ReadAll(text, block, delimiter: ';'));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void With_whitespace_delimiters_a_field_starts_after_each_run_of_spaces_and_tabs(int block)
    {
        string text = "a  b\tc\n5\"  \"x y\"\t 6\"7\n";
        Assert.Equal($"a  b\tc\n5{S}  \"x y\"\t 6{S}7\n", ReadAll(text, block, whitespace: true));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_quoted_line_break_continues_the_row(int block)
    {
        // Two 900-character lines joined by a quoted line break make one row of 1,800 characters.
        string half = new string('x', 898);
        string text = "a,b\n\"" + half + "\n" + half + "\",1\n" + "2,3\n";
        Assert.Equal(text, ReadAll(text, block, maxRowLength: 2_000));
        var e = Assert.Throws<BackpropException>(() => ReadAll(text, block, maxRowLength: 1_000));
        Assert.Equal("Expected rows of at most 1,000 characters. Received: a longer row starting at t.csv line 2 (an unclosed quote, or not a CSV file?).", e.Message);
        // A stray quote does not open anything: the rows stay lines.
        string stray = "a,b\n5\"" + half + "\n" + half + ",1\n";
        Assert.Equal(stray.Replace('"', S), ReadAll(stray, block, maxRowLength: 1_000));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_quote_still_open_at_the_end_is_reported_at_the_line_that_opened_it(int block)
    {
        // Line 3 closes the quote of line 2 and opens another: that one is never closed.
        string text = "a,b\n\"x\ny\",\"z\n1,2\n";
        var e = Assert.Throws<BackpropException>(() => ReadAll(text, block));
        Assert.Equal("Expected a closing quote for the quoted field that starts at t.csv line 3. Received: the end of the file (an unterminated quote).", e.Message);
        Assert.Equal("a,b\n\"x\ny\",\"z\"\n1,2\n", ReadAll("a,b\n\"x\ny\",\"z\"\n1,2\n", block)); // closed: read whole
        Assert.Equal($"a,b\nx{S},1\n", ReadAll("a,b\nx\",1\n", block)); // a quote inside a field opens nothing
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5000)]
    public void The_stand_in_in_the_data_with_a_stray_quote_is_refused_and_alone_passes(int block)
    {
        Assert.Equal($"a\nx{S}y\n", ReadAll($"a\nx{S}y\n", block));
        var e = Assert.Throws<BackpropException>(() => ReadAll($"a\nx{S}y\n5\"\n", block));
        Assert.StartsWith("Expected no character U+FFFF (a noncharacter) in a file with quotes inside unquoted fields", e.Message);
    }

    [Fact]
    public void Restore_gives_each_quote_back() => Assert.Equal("5'11\" O\"Brien", FieldQuoteReader.Restore($"5'11{S} O{S}Brien"));
}
