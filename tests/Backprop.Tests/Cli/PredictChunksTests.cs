using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Data;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Cli;

/// <summary>
/// <c>predict</c> reads its data a chunk of rows at a time and writes each chunk's predictions before reading the next: the
/// output, and what it says, are those of the whole table.
/// </summary>
public sealed class PredictChunksTests : TempFileTest
{
    // x, a colour (teal and gray never seen in training), y; x missing in every 1000th row.
    private string Rows(string name, int rows, bool unseen)
    {
        var text = new StringBuilder("x,color,y\n");
        string[] colors = ["red", "blue"];
        for (int r = 0; r < rows; r++)
        {
            string color = unseen && r % 5000 == 7 ? (r < 20_000 ? "teal" : "gray") : colors[r % 2];
            string x = r % 1000 == 3 ? "" : ((r % 97) / 10.0).ToString(CultureInfo.InvariantCulture);
            text.Append(x).Append(',').Append(color).Append(',').Append(r % 3 == 0 ? "yes" : "no").Append('\n');
        }
        return Files.Write(name, text.ToString());
    }

    [Fact]
    public void Predictions_of_a_file_of_several_chunks_are_those_of_its_whole_table_and_said_once()
    {
        string model = Path.Combine(Files.Directory, "m.safetensors"), data = Rows("new.csv", 40_000, unseen: true);
        Assert.Equal(0, CliRunner.Run("train", "--data", Rows("train.csv", 600, unseen: false), "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        string output = Path.Combine(Files.Directory, "p.csv");
        var (exit, json, error) = CliRunner.Run("predict", "--model", model, "--data", data, "--proba", "--out", output, "--json");
        Assert.True(exit == 0, error);

        // 40,000 rows in chunks of 16,384: the rows numbered on, each row's probabilities those of the whole table.
        TabularModel<float> loaded = TabularModel<float>.Load(model);
        Matrix<float> expected = loaded.PredictProbabilities(Table.Read(data, loaded.Preprocessor.ReadOptions()));
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(40_001, lines.Length);
        Assert.Equal("row,label,no,yes", lines[0]);
        for (int r = 0; r < 40_000; r++)
        {
            string[] cells = lines[r + 1].Split(',');
            Assert.Equal((r + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(expected[r, 0].ToString(CultureInfo.InvariantCulture), cells[2]);
        }

        // Unseen categories in the first and third chunks, missing cells in all: one warning and one note, their counts summed.
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal(40_000, root.GetProperty("rows").GetInt32());
        Assert.Equal(40_000, root.GetProperty("predicted_counts").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(["column 'color': 8 row(s) with a category not seen in training (such as 'teal') encoded as all zeros"],
            root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Single(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("imputed 40 missing value(s) in column 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_cell_in_a_later_chunk_fails_the_run_at_its_line_and_writes_no_file()
    {
        string model = Path.Combine(Files.Directory, "m.safetensors"), data = Rows("new.csv", 40_000, unseen: false);
        Assert.Equal(0, CliRunner.Run("train", "--data", Rows("train.csv", 600, unseen: false), "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        string[] lines = File.ReadAllLines(data);
        lines[35_001] = "inf" + lines[35_001][lines[35_001].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(data, lines);
        string output = Path.Combine(Files.Directory, "p.parquet");
        var (exit, _, error) = CliRunner.Run("predict", "--model", model, "--data", data, "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains($"{data} line 35002", error);
        Assert.False(File.Exists(output));
    }
}
