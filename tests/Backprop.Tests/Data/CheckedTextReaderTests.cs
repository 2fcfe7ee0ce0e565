using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>The reader's checks, with small read blocks so that lines straddle blocks as they do in big files.</summary>
public class CheckedTextReaderTests
{
    private static string ReadAll(string text, int maxRowLength, int block)
    {
        using var reader = new CheckedTextReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t.csv", maxRowLength);
        var result = new StringBuilder();
        var buffer = new char[block];
        int count;
        while ((count = reader.Read(buffer.AsSpan())) > 0) result.Append(buffer, 0, count);
        return result.ToString();
    }

    [Theory]
    [InlineData(100)]   // blocks shorter than the bound: a line carried over from block to block
    [InlineData(5000)]  // blocks longer than the bound
    public void Lines_up_to_the_bound_pass_and_a_longer_one_is_caught_on_its_line(int block)
    {
        string row = new string('7', 1_500) + "\n";
        string text = "a\n" + row + row;
        Assert.Equal(text, ReadAll(text, maxRowLength: 2_000, block));
        var e = Assert.Throws<BackpropException>(() => ReadAll(text + new string('8', 2_500) + "\n" + row, 2_000, block));
        Assert.Equal("Expected rows of at most 2,000 characters. Received: a longer row starting at t.csv line 4 (an unclosed quote, or not a CSV file?).", e.Message);
    }

    [Fact]
    public void An_invalid_byte_far_into_the_file_is_found_on_its_line()
    {
        // Past the first 64 KiB block, with a multi-byte character (é) straddling blocks on the way.
        byte[] bytes = [.. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("é,2\n", 30_000))), 0xFF, (byte)'\n'];
        using var reader = new CheckedTextReader(new MemoryStream(bytes), "t.csv", 1_000, () => new MemoryStream(bytes));
        var e = Assert.Throws<BackpropException>(() => reader.ReadToEnd());
        Assert.Contains("not valid UTF-8 at t.csv line 30001 ", e.Message);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(5000)]
    public void A_nul_is_reported_on_its_line(int block)
    {
        string text = string.Concat(Enumerable.Repeat("1,2\n", 50)) + "3,\0\n";
        var e = Assert.Throws<BackpropException>(() => ReadAll(text, 1_000, block));
        Assert.Equal("Expected a UTF-8 text file. Received: a NUL byte at t.csv line 51 (a binary file?).", e.Message);
    }
}
