using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>The header read ahead for the delimiter's detection: where it ends, with quotes read as the rows' are.</summary>
public class HeaderPeekReaderTests
{
    private static HeaderPeekReader Peek(string text, int maxRowLength = 1_000) => new(new StringReader(text), "t.csv", maxRowLength);

    [Fact]
    public void A_quote_inside_a_name_opens_nothing_and_the_header_ends_at_its_line()
    {
        using HeaderPeekReader peek = Peek("\n\nsize\";class\n1;2\n3;\"4\"\n");
        Assert.Equal("size\";class", peek.Header);
        Assert.Equal("\n\nsize\";class\n1;2\n3;\"4\"\n", peek.ReadToEnd()); // the parser gets the text as it was
    }

    [Theory]
    [InlineData("\"a\nb\",c\n1,2\n", "\"a\nb\",c")]        // a quoted name keeps its line break
    [InlineData("\"a\"\"b\",c\n1,2\n", "\"a\"\"b\",c")]    // an escaped quote inside a quoted name
    [InlineData("a b \"c d\"\n1 2 3\n", "a b \"c d\"")]     // names delimited by spaces, one quoted
    [InlineData("x,\"y\"z\"\n1,2\n", "x,\"y\"z\"")]         // a quote after a quoted name's closing quote is a character
    public void Quoted_names_are_read_as_the_rows_are(string text, string header) => Assert.Equal(header, Peek(text).Header);

    [Fact]
    public void A_header_whose_quote_is_never_closed_is_bounded_as_a_row()
    {
        string text = "\n\"size;class\n" + string.Concat(Enumerable.Repeat("1;2\n", 100));
        var e = Assert.Throws<BackpropException>(() => Peek(text, maxRowLength: 50));
        Assert.Equal("Expected rows of at most 50 characters. Received: a longer row starting at t.csv line 2 (an unclosed quote, or not a CSV file?).", e.Message);
    }

    [Theory]
    [InlineData("sep=;\r\na,b;c\r\n1;2\r\n", ';')]
    [InlineData("\nSEP=|\na|b\n", '|')]
    [InlineData("sep=\t\na\tb\n", '\t')]
    public void Excels_sep_line_is_a_hint_and_a_blank_line_not_the_header(string text, char delimiter)
    {
        using HeaderPeekReader first = Peek(text);
        Assert.Equal(delimiter, first.DelimiterHint);
        Assert.Equal("", first.Header);
        // Peeked again, the header is the line after it; the parser gets the sep line as a blank line, so line numbers hold.
        using var header = new HeaderPeekReader(first, "t.csv", 1_000);
        Assert.Null(header.DelimiterHint);
        int sepLine = text.IndexOf('=', StringComparison.Ordinal);
        Assert.Equal(text[(text.IndexOf('\n', sepLine) + 1)..].Split('\n')[0].TrimEnd('\r'), header.Header);
        string rest = header.ReadToEnd();
        Assert.Equal(text.Count(c => c == '\n'), rest.Count(c => c == '\n'));
        Assert.DoesNotContain("sep=", rest, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("sep=\n1\n")]     // no delimiter after it: a column named "sep="
    [InlineData("sep=;;\n1\n")]
    [InlineData("sep=\"\n1\n")]  // a quote delimits nothing
    [InlineData("sep=a\n1\n")]
    public void A_header_that_only_looks_like_a_sep_line_is_the_header(string text) => Assert.Null(Peek(text).DelimiterHint);
}

