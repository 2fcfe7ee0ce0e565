using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Cli;

/// <summary>
/// An output that is an input's file (or another output's) is a usage error found before anything is read or written: the
/// model or the data is never replaced by predictions, a plot or a report.
/// </summary>
public sealed partial class OutputFilesTests : TempFileTest
{
    // Two numeric columns; the class is which one is larger.
    private static readonly string Data = Rows(60, seed: 3);

    // One model for every test, trained once: each test copies it to the names it needs.
    private static readonly Lazy<byte[]> Model = new(() =>
    {
        using var files = new TempFiles();
        string model = Path.Combine(files.Directory, "model.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", files.Write("data.csv", Data), "--recipe", "plain", "--epochs", "2", "--save", model);
        Assert.True(code == 0, error);
        return File.ReadAllBytes(model);
    });

    private static string Rows(int count, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < count; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},{(a > b ? "x" : "y")}\n");
        }
        return text.ToString();
    }

    // "{name}" in a command line: the file of that name in the test's folder; a name with "model" in it holds the model, any other the data.
    private string[] CommandLine(string line) =>
        [.. line.Split(' ').Select(word => Placeholder().Replace(word, m => PathOf(m.Groups[1].Value)))];

    private string PathOf(string name)
    {
        string path = Path.Combine(Files.Directory, name);
        if (!File.Exists(path))
        {
            if (name.Contains("model", StringComparison.Ordinal)) Files.WriteBytes(name, Model.Value);
            else Files.Write(name, Data);
        }
        return path;
    }

    // Every file of the test's folder (and its subfolders) with its bytes: what a refused command must leave as it was.
    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(Files.Directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private void AssertRefused(string[] args, string message)
    {
        Dictionary<string, byte[]> before = Snapshot();
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {message}\n", error);
        Dictionary<string, byte[]> after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Placeholder();

    [Theory]
    [InlineData("predict --model {model.st} --data {data.csv} --out {model.st}",
        "--out: expected a file other than the --model file (writing it would destroy the model). Received: '{model.st}'.")]
    [InlineData("predict --model {model.st} --data {data.csv} --out {data.csv}",
        "--out: expected a file other than the --data file (writing it would destroy the data). Received: '{data.csv}'.")]
    [InlineData("predict --model {model.parquet} --data {data.csv} --out {model.parquet}",
        "--out: expected a file other than the --model file (writing it would destroy the model). Received: '{model.parquet}'.")]
    [InlineData("evaluate --model {model.png} --data {data.csv} --plot {model.png}",
        "--plot: expected a file other than the --model file (writing it would destroy the model). Received: '{model.png}'.")]
    [InlineData("evaluate --model {model.html} --data {data.csv} --report {model.html}",
        "--report: expected a file other than the --model file (writing it would destroy the model). Received: '{model.html}'.")]
    [InlineData("evaluate --model {model.st} --data {data.csv} --plot {r.png} --reliability-plot {r.png}",
        "--reliability-plot: expected a file other than the --plot file (both would be written to it). Received: '{r.png}'.")]
    [InlineData("explain --model {model.csv} --data {data.csv} --out {model.csv}",
        "--out: expected a file other than the --model file (writing it would destroy the model). Received: '{model.csv}'.")]
    [InlineData("explain --model {model.png} --data {data.csv} --plot {model.png}",
        "--plot: expected a file other than the --model file (writing it would destroy the model). Received: '{model.png}'.")]
    [InlineData("explain --model {model.st} --data {data.csv} --out {data.csv}",
        "--out: expected a file other than the --data file (writing it would destroy the data). Received: '{data.csv}'.")]
    [InlineData("explain --model {model-b.png} --data {data.csv} --dependence {model.png}",
        "--dependence: expected a file other than the --model file (writing it would destroy the model). Received: '{model-b.png}'.")]
    [InlineData("explain --model {model.st} --data {data.csv} --plot {dep-a.png} --dependence {dep.png} --columns a",
        "--dependence: expected a file other than the --plot file (both would be written to it). Received: '{dep-a.png}'.")]
    [InlineData("export --model {model.st} --onnx {model.st}",
        "--onnx: expected a file other than the --model file (writing it would destroy the model). Received: '{model.st}'.")]
    [InlineData("train --data {data.csv} --epochs 1 --save {model.png} --plot {model.png}",
        "--plot: expected a file other than the --save file (both would be written to it). Received: '{model.png}'.")]
    [InlineData("train --data {data.csv} --epochs 1 --save {model.html} --report {model.html}",
        "--report: expected a file other than the --save file (both would be written to it). Received: '{model.html}'.")]
    [InlineData("train --data {data.csv} --epochs 1 --save {data.csv}",
        "--save: expected a file other than the --data file (writing it would destroy the training data). Received: '{data.csv}'.")]
    [InlineData("train --data {data.csv} --recipe plain --validation-data {valid.csv} --epochs 1 --save {valid.csv}",
        "--save: expected a file other than the --validation-data file (writing it would destroy the validation data). Received: '{valid.csv}'.")]
    [InlineData("train --resume {model.png} --epochs 3 --plot {model.png}",
        "--plot: expected a file other than the --resume file (writing it would destroy the model to resume). Received: '{model.png}'.")]
    [InlineData("train --resume {model.html} --epochs 3 --report {model.html}",
        "--report: expected a file other than the --resume file (writing it would destroy the model to resume). Received: '{model.html}'.")]
    [InlineData("train --resume {model.png} --epochs 3 --save {model.png} --plot {model.png}",
        "--plot: expected a file other than the --save file (both would be written to it). Received: '{model.png}'.")]
    [InlineData("train --data {data.csv} --epochs 1 --save {model.png} --checkpoint-every 1 --plot {model.best.png}",
        "--plot: expected a file other than the --checkpoint-every file (both would be written to it). Received: '{model.best.png}'.")]
    public void An_output_that_is_an_input_or_another_output_is_refused_and_nothing_is_written(string line, string message) =>
        AssertRefused(CommandLine(line), string.Join(' ', CommandLine(message)));

    [Fact]
    public void An_output_through_a_symbolic_link_to_an_input_is_refused()
    {
        if (OperatingSystem.IsWindows()) return; // a symbolic link needs a privilege there
        string data = PathOf("data.csv");
        string link = Path.Combine(Files.Directory, "link.csv");
        File.CreateSymbolicLink(link, data);
        AssertRefused(["predict", "--model", PathOf("model.st"), "--data", data, "--out", link],
            $"--out: expected a file other than the --data file (writing it would destroy the data). Received: '{link}'.");

        // A linked folder: the same file by another path.
        string real = Directory.CreateDirectory(Path.Combine(Files.Directory, "real")).FullName;
        string model = PathOf("real/model.st");
        string linked = Path.Combine(Files.Directory, "linked");
        Directory.CreateSymbolicLink(linked, real);
        string other = Path.Combine(linked, "model.st");
        AssertRefused(["export", "--model", model, "--onnx", other],
            $"--onnx: expected a file other than the --model file (writing it would destroy the model). Received: '{other}'.");
    }

    [Fact]
    public void An_output_that_is_a_shard_of_the_data_is_refused()
    {
        string shards = Directory.CreateDirectory(Path.Combine(Files.Directory, "shards")).FullName;
        string first = Files.Write("shards/part-0.csv", Rows(20, seed: 4));
        Files.Write("shards/part-1.csv", Rows(20, seed: 5));
        foreach (string data in new[] { shards, Path.Combine(shards, "*.csv") })
        {
            AssertRefused(["predict", "--model", PathOf("model.st"), "--data", data, "--out", first],
                $"--out: expected a file outside the --data shards (writing it would destroy the data). Received: '{first}'.");
        }
        // A new file beside the shards destroys none of them.
        string predictions = Path.Combine(shards, "predictions.csv");
        var (code, _, error) = CliRunner.Run("predict", "--model", PathOf("model.st"), "--data", Path.Combine(shards, "part-*.csv"), "--out", predictions);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(predictions));
    }

    [Fact]
    public void Resume_and_save_to_the_same_file_continues_the_run_in_place()
    {
        string model = Path.Combine(Files.Directory, "model.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", PathOf("data.csv"), "--recipe", "plain", "--epochs", "2", "--save", model).ExitCode);
        byte[] before = File.ReadAllBytes(model);
        var (code, output, error) = CliRunner.Run("train", "--resume", model, "--epochs", "4", "--save", model, "--plot", Path.Combine(Files.Directory, "curves.png"));
        Assert.True(code == 0, error);
        Assert.Contains($"Saved model to {model}", output);
        Assert.NotEqual(before, File.ReadAllBytes(model));
        Assert.Equal(0, CliRunner.Run("info", "--model", model).ExitCode);
    }
}
