using Backprop.Cli.Rendering;

namespace Backprop.Tests.Cli.Rendering;

public sealed class WrappedLinesTests
{
    private const string Note = "note: read 150 rows × 5 columns of /tmp/iris.csv (delimiter ','): 4 inputs from 4 numeric columns; target 'species', 3 classes";

    private static string Written(int columns, params string[] lines)
    {
        var terminal = new StringWriter { NewLine = "\n" };
        var writer = new WrappedLines(terminal, () => columns) { NewLine = "\n" };
        foreach (string line in lines) writer.WriteLine(line);
        writer.Flush();
        return terminal.ToString();
    }

    [Fact]
    public void A_long_note_breaks_between_words_with_its_continuation_under_its_text()
    {
        string[] lines = Written(60, Note).TrimEnd('\n').Split('\n');
        Assert.Equal(
        [
            "note: read 150 rows × 5 columns of /tmp/iris.csv (delimiter",
            "      ','): 4 inputs from 4 numeric columns; target",
            "      'species', 3 classes",
        ], lines);
        Assert.All(lines, l => Assert.True(l.Length <= 60, l));
        // Joined again, the words are the note's: nothing lost, nothing cut.
        Assert.Equal(Note, string.Join(' ', lines.Select(l => l.Trim())));
    }

    [Fact]
    public void Wide_characters_count_as_the_two_columns_they_take()
    {
        // 27 characters but 37 cells: past a 30-column terminal, so it breaks, by cells.
        const string note = "note: 列 '身長' は 数値 です 平均 170";
        string[] lines = Written(30, note).TrimEnd('\n').Split('\n');
        Assert.Equal(["note: 列 '身長' は 数値 です", "      平均 170"], lines);
        Assert.All(lines, l => Assert.True(CellText.Width(l) <= 30, l));
    }

    [Fact]
    public void Short_lines_unknown_widths_and_words_longer_than_the_terminal_are_written_as_they_are()
    {
        Assert.Equal("Training Accuracy: 0.98\n", Written(60, "Training Accuracy: 0.98"));
        Assert.Equal(Note + "\n", Written(0, Note));
        string path = "note: read /" + new string('a', 70) + ".csv";
        Assert.Equal("note: read\n      /" + new string('a', 70) + ".csv\n", Written(40, path));
    }

    [Fact]
    public void A_red_error_line_keeps_its_colour_around_all_its_lines_and_other_lines_indent_by_two()
    {
        string red = "\u001b[31merror: --interval: expected a number from 0.5 to below 1, for example 0.9. Received: '0.3'.\u001b[0m";
        Assert.Equal(
            "\u001b[31merror: --interval: expected a number from 0.5 to below 1,\n       for example 0.9. Received: '0.3'.\u001b[0m\n",
            Written(60, red));
        Assert.Equal("Early stopping: stopped after epoch 170; restored\n  the weights of epoch 165\n",
            Written(50, "Early stopping: stopped after epoch 170; restored the weights of epoch 165"));
    }

    [Fact]
    public void An_indented_report_line_keeps_its_indent_and_continues_two_further()
    {
        Assert.Equal("  confusion matrix (rows: actual,\n    columns: predicted)\n",
            Written(36, "  confusion matrix (rows: actual, columns: predicted)"));
        // Runs of spaces inside a line (a table's columns) stay as they are on the line they fall on.
        Assert.Equal("  class_0       0.9833  1.0000\n    0.9916       59\n", Written(30, "  class_0       0.9833  1.0000  0.9916       59"));
    }

    [Theory]
    [InlineData(new[] { "predict", "--model", "m", "--data", "d.csv" }, true)]
    [InlineData(new[] { "train", "--data", "d.csv", "--json" }, true)]
    [InlineData(new[] { "explain", "--model", "m", "--data", "d.csv", "--out", "-" }, true)]
    [InlineData(new[] { "train", "--data", "d.csv" }, false)]
    [InlineData(new[] { "evaluate", "--model", "m", "--data", "d.csv" }, false)]
    public void Data_printed_on_stdout_is_never_broken(string[] args, bool data) => Assert.Equal(data, Backprop.Cli.Cli.PrintsData(args));

    [Fact]
    public void Text_is_held_until_its_line_ends_and_a_flush_writes_a_partial_line()
    {
        var terminal = new StringWriter { NewLine = "\n" };
        var writer = new WrappedLines(terminal, () => 20) { NewLine = "\n" };
        writer.Write("note: one two three ");
        Assert.Equal("", terminal.ToString());
        writer.Write("four five\nrest");
        Assert.Equal("note: one two three\n      four five\n", terminal.ToString());
        writer.Flush();
        Assert.EndsWith("rest", terminal.ToString());
    }
}
