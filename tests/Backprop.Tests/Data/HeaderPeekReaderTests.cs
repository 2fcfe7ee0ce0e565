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
}
