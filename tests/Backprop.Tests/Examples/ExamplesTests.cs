using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Examples;

/// <summary>Runs the file-based examples under examples/ as a user would (<c>dotnet run examples/X.cs</c>).</summary>
public class ExamplesTests
{
    private static (int ExitCode, string Output, string Error) DotnetRun(string example, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("examples", example), .. arguments.Length > 0 ? ["--", .. arguments] : Array.Empty<string>()])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet run examples/{example} did not finish in 4 minutes.");
        }
        return (process.ExitCode, output.Replace("\r\n", "\n"), error.Result);
    }

    [Fact]
    public void Notebook_prints_exactly_what_train_prints_in_float64()
    {
        var (code, output, error) = DotnetRun("Notebook.cs");
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Equal(CliRunner.Run("train", "--precision", "f64").Output, output);
    }

    [Fact]
    public void CustomLayer_passes_its_gradient_check_and_trains()
    {
        var (code, output, error) = DotnetRun("CustomLayer.cs");
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("Swish gradient check: largest relative error", output);
        Assert.Contains("(ok)", output);
        Assert.Contains("(1) Swish()", output);
        Assert.True(NumberAfter(output, "Training Accuracy: ") > 0.9, output);
    }

    [Fact]
    public void Classifier_on_the_embedded_wine_data_scores_well_and_names_the_classes()
    {
        var (code, output, error) = DotnetRun("Classifier.cs");
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains("Table(wine (embedded): 178 rows × 14 columns, delimiter ',')", output);
        Assert.Contains("TabularPreprocessor(13 columns → 13 inputs; target 'cultivar': 3 classes)", output);
        Assert.Contains("on 133 rows; tested on 45.", output);   // a quarter held out, stratified
        Assert.True(NumberAfter(output, "Test accuracy: ") >= 0.9, output);
        AssertPredictionLines(output, ["class_0", "class_1", "class_2"]);
    }

    [Fact]
    public void Classifier_reads_a_csv_file_given_as_argument()
    {
        // Semicolons (detected), a text column (one-hot encoded), "NA" cells (imputed); the class is decided by 'size'.
        var random = new Random(5);
        var csv = new StringBuilder("size;color;noise;label\n");
        for (int i = 0; i < 120; i++)
        {
            double size = random.NextDouble() * 10;
            string noise = i % 10 == 3 ? "NA" : random.NextDouble().ToString("F3", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{size:F2};{(i % 3 == 0 ? "red" : i % 3 == 1 ? "blue" : "green")};{noise};{(size > 5 ? "large" : "small")}\n");
        }
        using var files = new TempFiles();
        string path = files.Write("sizes.csv", csv.ToString());

        var (code, output, error) = DotnetRun("Classifier.cs", path);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Contains($"Table({path}: 120 rows × 4 columns, delimiter ';')", output);
        Assert.Contains("TabularPreprocessor(3 columns → 5 inputs; target 'label': 2 classes)", output);   // size, 3 colors, noise
        Assert.Contains("note: imputed", output);
        Assert.True(NumberAfter(output, "Test accuracy: ") >= 0.9, output);
        AssertPredictionLines(output, ["large", "small"]);
    }

    [Fact]
    public void Classifier_reports_a_missing_file_in_one_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.csv");
        var (code, output, error) = DotnetRun("Classifier.cs", path);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: Expected an existing CSV or Parquet file, a folder of them, or a glob.", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Regression_fits_targets_in_the_thousands_without_manual_scaling()
    {
        var (code, output, error) = DotnetRun("Regression.cs");
        Assert.True(code == 0, $"exit code {code}: {error}");
        double r2 = NumberAfter(output, "Held-out R²: "), mae = NumberAfter(output, "Held-out MAE: "), rmse = NumberAfter(output, "Held-out RMSE: ");
        Assert.True(r2 >= 0.9, output);
        // The target's std is about 290 and its noise 20: errors must be near the noise, far below the spread.
        Assert.InRange(rmse, 15, 60);
        Assert.InRange(mae, 10, rmse);
        Assert.Equal(5, output.Split('\n').Count(l => l.StartsWith("  actual ", StringComparison.Ordinal)));
    }

    // The number that follows the line starting with prefix (spaces skipped).
    private static double NumberAfter(string output, string prefix)
    {
        string line = output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line[prefix.Length..].TrimStart().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    // Five "line N: predicted A, actual B  (A p, B q, …)" lines naming only known classes, with probabilities summing to 1.
    private static void AssertPredictionLines(string output, string[] classes)
    {
        var pattern = new Regex(@"^  line \d+: predicted (\S+), actual (\S+)  \((.*)\)$");
        Match[] lines = output.Split('\n').Select(l => pattern.Match(l)).Where(m => m.Success).ToArray();
        Assert.Equal(5, lines.Length);
        foreach (Match line in lines)
        {
            Assert.Contains(line.Groups[1].Value, classes);
            Assert.Contains(line.Groups[2].Value, classes);
            string[][] probabilities = line.Groups[3].Value.Split(", ").Select(p => p.Split(' ')).ToArray();
            Assert.Equal(classes, probabilities.Select(p => p[0]));
            Assert.Equal(1.0, probabilities.Sum(p => double.Parse(p[1], CultureInfo.InvariantCulture)), 2);
            // The predicted class is the most probable one.
            Assert.Equal(line.Groups[1].Value, probabilities.MaxBy(p => double.Parse(p[1], CultureInfo.InvariantCulture))![0]);
        }
    }
}
