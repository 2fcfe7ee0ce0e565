using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backprop.Tests.Cli;

/// <summary>
/// <c>evaluate</c> reads its data a chunk of rows at a time and keeps only each row's prediction and target: its metrics, and
/// what it says, are those of the whole table.
/// </summary>
public sealed class EvaluateChunksTests : TempFileTest
{
    // x, a colour (teal never seen in training), y; x missing in every 1000th row, y in every 7000th.
    private string Rows(string name, int rows, bool regression)
    {
        var text = new StringBuilder("x,color,y\n");
        string[] colors = ["red", "blue"];
        for (int r = 0; r < rows; r++)
        {
            string color = r % 9000 == 611 ? "teal" : colors[r % 2];
            string x = r % 1000 == 3 ? "" : ((r % 97) / 10.0).ToString(CultureInfo.InvariantCulture);
            string y = r % 7000 == 5 ? "" : regression ? ((r % 97) / 5.0 + (r % 2)).ToString(CultureInfo.InvariantCulture) : (r % 97 > 40 ? "yes" : "no");
            text.Append(x).Append(',').Append(color).Append(',').Append(y).Append('\n');
        }
        return Files.Write(name, text.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Metrics_of_a_file_of_several_chunks_are_those_of_its_whole_table_and_said_once(bool regression)
    {
        string model = Path.Combine(Files.Directory, "m.safetensors");
        string[] task = regression ? ["--task", "regression"] : [];
        Assert.Equal(0, CliRunner.Run(["train", "--data", Rows("train.csv", 600, regression), "--members", "1", "--epochs", "2", "--save", model, .. task]).ExitCode);
        string data = Rows("new.csv", 40_000, regression); // chunks of 16,384 rows: three

        var (exit, chunked, error) = CliRunner.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(exit == 0, error);
        // With --report the table is read whole (its importance shuffles columns): the same metrics, the same remarks.
        var (wholeExit, whole, wholeError) = CliRunner.Run("evaluate", "--model", model, "--data", data, "--json", "--report", Path.Combine(Files.Directory, "r.html"));
        Assert.True(wholeExit == 0, wholeError);
        Assert.Equal(whole, chunked);

        using JsonDocument document = JsonDocument.Parse(chunked);
        JsonElement root = document.RootElement;
        Assert.Equal(40_000 - 6, root.GetProperty("samples").GetInt32());
        Assert.Contains("skipped 6 row(s) whose target 'y' is missing", root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("column 'color': 5 row(s) with a category not seen in training", StringComparison.Ordinal));
        Assert.Single(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("imputed 40 missing value(s) in column 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_without_a_single_target_value_is_an_error_not_a_report_of_nothing()
    {
        string model = Path.Combine(Files.Directory, "m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Rows("train.csv", 600, regression: false), "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        string data = Files.Write("unlabelled.csv", "x,color,y\n1,red,\n2,blue,\n");
        var (exit, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", data);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"warning: skipped 2 row(s) whose target 'y' is missing\nerror: {data}: expected rows with a value in the target column 'y' to evaluate the model on. Received: none.\n", error);
    }

    [Fact]
    public void A_bad_cell_in_a_later_chunk_is_said_with_its_line()
    {
        string model = Path.Combine(Files.Directory, "m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Rows("train.csv", 600, regression: false), "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        string data = Rows("new.csv", 40_000, regression: false);
        string[] lines = File.ReadAllLines(data);
        lines[35_001] = "inf" + lines[35_001][lines[35_001].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(data, lines);
        var (exit, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", data);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains($"{data} line 35002", error);
    }
}
