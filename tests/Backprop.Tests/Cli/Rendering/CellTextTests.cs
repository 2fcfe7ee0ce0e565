using Backprop.Cli.Rendering;

namespace Backprop.Tests.Cli.Rendering;

/// <summary>Tables padded by terminal cells: a wide character takes two, a combining mark none.</summary>
public class CellTextTests
{
    [Theory]
    [InlineData("height", 6)]
    [InlineData("身長", 4)]          // two wide characters
    [InlineData("대상 A", 6)]        // Hangul, a space, a Latin letter
    [InlineData("café", 4)]          // a precomposed é
    [InlineData("cafe\u0301", 4)]    // e and a combining acute accent
    public void Width_counts_cells(string text, int cells) => Assert.Equal(cells, CellText.Width(text));

    [Fact]
    public void Padding_fills_to_the_same_number_of_cells()
    {
        Assert.Equal("身長  |", CellText.PadRight("身長", 6) + "|");
        Assert.Equal("  身長", CellText.PadLeft("身長", 6));
        Assert.Equal("height|", CellText.PadRight("height", 4) + "|"); // never cut
    }

    [Fact]
    public void Info_lines_up_its_inputs_whatever_their_script()
    {
        using var files = new TempFiles();
        var rows = new System.Text.StringBuilder("身長,weight,色,y\n");
        for (int i = 0; i < 40; i++) rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 7},{i % 5},{(i % 2 == 0 ? "赤" : "青")},{i % 2}\n");
        string data = files.Write("jp.csv", rows.ToString()), model = Path.Combine(files.Directory, "m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--target", "y", "--epochs", "2", "--save", model).ExitCode);
        string[] inputs = [.. CliRunner.Run("info", "--model", model).Output.Split('\n').SkipWhile(l => !l.StartsWith("Inputs", StringComparison.Ordinal)).Skip(1).Take(3)];
        // The description starts in the same terminal column on every line: 2 + the widest name (6 cells) + 2.
        Assert.All(inputs, line => Assert.Equal(10, CellText.Width(line[..(line.IndexOf("numeric", StringComparison.Ordinal) is >= 0 and var n ? n : line.IndexOf("categorical", StringComparison.Ordinal))])));
        Assert.StartsWith("  身長    numeric", inputs[0]);
        Assert.StartsWith("  色      categorical", inputs[2]);
    }
}
