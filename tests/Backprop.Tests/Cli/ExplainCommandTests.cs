using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backprop.Tests.Cli;

/// <summary>backprop explain end to end: the importance table and JSON, attributions of rows and of a whole file, the plot, and one-line errors.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // 'size' decides the class, 'color' a little, 'age' nothing.
    private string Animals(int rows, int seed, bool withTarget = true)
    {
        var random = new Random(seed);
        var text = new StringBuilder(withTarget ? "size,color,age,kind\n" : "size,color,age\n");
        for (int i = 0; i < rows; i++)
        {
            double size = random.NextDouble() * 10;
            string color = random.Next(2) == 0 ? "grey" : "brown";
            double age = random.NextDouble() * 12;
            bool big = size + (color == "brown" ? 1.5 : 0) > 5.5;
            text.Append(CultureInfo.InvariantCulture, $"{size:F3},{color},{age:F2}");
            text.Append(withTarget ? (big ? ",dog\n" : ",cat\n") : "\n");
        }
        return _files.Write($"animals{seed}{(withTarget ? "" : "-unlabelled")}.csv", text.ToString());
    }

    private string Train()
    {
        string model = Path.Combine(_files.Directory, "animals.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", Animals(300, 1), "--save", model, "--quiet");
        Assert.True(code == 0, error);
        return model;
    }

    [Fact]
    public void Json_lists_the_importance_of_each_column_sorted_with_its_interval()
    {
        string model = Train();
        var (code, output, error) = CliRunner.Run("explain", "--model", model, "--data", Animals(200, 2), "--json", "--rows", "1,3");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        JsonElement[] importance = [.. root.GetProperty("importance").EnumerateArray()];
        Assert.Equal(["size", "color", "age"], importance.Select(c => c.GetProperty("column").GetString()));
        double[] means = [.. importance.Select(c => c.GetProperty("mean").GetDouble())];
        Assert.Equal(means.OrderByDescending(m => m), means);
        Assert.True(means[0] > 0.2);
        Assert.All(importance, c => Assert.True(c.GetProperty("ci_low").GetDouble() <= c.GetProperty("mean").GetDouble()
            && c.GetProperty("mean").GetDouble() <= c.GetProperty("ci_high").GetDouble()));
        Assert.Equal("accuracy", root.GetProperty("metric").GetString());

        JsonElement[] rows = [.. root.GetProperty("attributions").EnumerateArray()];
        Assert.Equal([1, 3], rows.Select(r => r.GetProperty("row").GetInt32()));
        foreach (JsonElement row in rows)
        {
            double sum = row.GetProperty("columns").EnumerateObject().Sum(c => c.Value.GetDouble());
            double difference = row.GetProperty("value").GetDouble() - row.GetProperty("baseline").GetDouble();
            Assert.Equal(difference, sum + row.GetProperty("gap").GetDouble(), 1e-6);
            Assert.True(Math.Abs(row.GetProperty("gap").GetDouble()) < 0.01);
        }
    }

    [Fact]
    public void Text_shows_the_table_the_rows_and_writes_the_plot_and_the_attributions_file()
    {
        string model = Train();
        string plot = Path.Combine(_files.Directory, "importance.png"), outPath = Path.Combine(_files.Directory, "attributions.csv");
        var (code, output, error) = CliRunner.Run("explain", "--model", model, "--data", Animals(100, 3), "--rows", "2", "--plot", plot, "--out", outPath);
        Assert.True(code == 0, error);
        Assert.Contains("Permutation importance on animals3.csv (100 rows, accuracy 0.", output);
        Assert.Matches(@"\n  size\s+\+0\.\d{4}  \[\+0\.\d{4}, \+0\.\d{4}\]\n", output);
        Assert.Contains("Row 2: predicted '", output);
        Assert.Contains("  (gap)", output);
        Assert.True(new FileInfo(plot).Length > 1000);
        string[] lines = File.ReadAllLines(outPath);
        Assert.Equal("row,class,value,baseline,size,color,age,gap", lines[0]);
        Assert.Equal(101, lines.Length);
    }

    [Fact]
    public void Attributions_are_csv_and_a_parquet_name_is_refused_before_the_work()
    {
        string model = Train();
        string outPath = Path.Combine(_files.Directory, "attributions.parquet");
        var (code, _, error) = CliRunner.Run("explain", "--model", model, "--data", Animals(20, 3), "--out", outPath);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out: expected a CSV file name (explain writes its attributions as CSV). Received: '{outPath}'.", error.TrimEnd('\n'));
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void Attributions_need_no_target_and_the_importance_does()
    {
        string model = Train();
        string unlabelled = Animals(20, 4, withTarget: false);
        var (code, output, error) = CliRunner.Run("explain", "--model", model, "--data", unlabelled, "--rows", "20", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.TryGetProperty("importance", out _));
        Assert.Single(json.RootElement.GetProperty("attributions").EnumerateArray());

        var (missing, _, message) = CliRunner.Run("explain", "--model", model, "--data", unlabelled);
        Assert.Equal(2, missing);
        Assert.StartsWith("error: --data: expected the target column 'kind' for the importance", message);
        var (past, _, pastMessage) = CliRunner.Run("explain", "--model", model, "--data", unlabelled, "--rows", "21");
        Assert.Equal(2, past);
        Assert.Equal("error: --rows: expected row numbers from 1 to 20 (the rows of animals4-unlabelled.csv). Received: 21.\n", pastMessage);
    }

    [Fact]
    public void Dependence_draws_the_columns_asked_or_the_three_most_important()
    {
        string model = Train();
        string prefix = Path.Combine(_files.Directory, "dep.png");
        var (code, output, error) = CliRunner.Run("explain", "--model", model, "--data", Animals(100, 5), "--dependence", prefix);
        Assert.True(code == 0, error);
        string[] drawn = [Path.Combine(_files.Directory, "dep-size.png"), Path.Combine(_files.Directory, "dep-color.png"), Path.Combine(_files.Directory, "dep-age.png")];
        Assert.Contains($"Partial dependence plots written to {string.Join(", ", drawn)}", output);
        Assert.All(drawn, file => Assert.True(new FileInfo(file).Length > 5_000));

        var (asked, _, askedError) = CliRunner.Run("explain", "--model", model, "--data", Animals(20, 6, withTarget: false), "--dependence", prefix, "--columns", "age", "--rows", "1");
        Assert.True(asked == 0, askedError);
        var (unknown, _, unknownError) = CliRunner.Run("explain", "--model", model, "--data", Animals(20, 6), "--dependence", prefix, "--columns", "size,weight");
        Assert.Equal(2, unknown);
        Assert.Equal("error: --columns: expected the model's columns (size, color, age). Received: 'weight'.\n", unknownError);
        var (alone, _, aloneError) = CliRunner.Run("explain", "--model", model, "--data", Animals(20, 6), "--columns", "size");
        Assert.Equal(2, alone);
        Assert.StartsWith("error: --columns: expected together with --dependence", aloneError);
    }

    [Theory]
    [InlineData("--rows", "0", "error: --rows: expected row numbers from 1")]
    [InlineData("--rows", "1,x", "error: --rows: expected row numbers from 1")]
    [InlineData("--repeats", "1", "error: --repeats: expected at least 2 shuffles (the interval needs a spread), at most 1000. Received: '1'.")]
    [InlineData("--steps", "0", "error: --steps: expected an integer from 1 to 10000. Received: '0'.")]
    public void A_bad_value_is_one_line_and_exit_code_2(string flag, string value, string message)
    {
        var (code, _, error) = CliRunner.Run("explain", "--model", "m.safetensors", "--data", "d.csv", flag, value);
        Assert.Equal(2, code);
        Assert.StartsWith(message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
