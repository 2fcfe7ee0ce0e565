using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Backprop.Tests.Cli.Rendering;
using Backprop.Tests.Serialization;

namespace Backprop.Tests.Cli;

/// <summary>train --report and evaluate --report: one self-contained HTML page with every section, and evaluate --reliability-plot.</summary>
public sealed class ReportCliTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // A class from x and a category; y is noise; some x missing.
    private string Table(string name, int rows, int seed, bool regression = false)
    {
        var random = new Random(seed);
        // A column name with markup in it: the report must show it, not obey it.
        var text = new StringBuilder("x,\"shade <i>\",y,target\n");
        for (int i = 0; i < rows; i++)
        {
            double x = random.NextDouble() * 4 - 2, y = random.NextDouble();
            string shade = random.Next(3) switch { 0 => "red", 1 => "green", _ => "blue" };
            double score = x + (shade == "red" ? 1 : 0) + 0.4 * (random.NextDouble() - 0.5);
            string target = regression ? score.ToString("R", CultureInfo.InvariantCulture) : score > 0.5 ? "yes" : "no";
            string cell = i % 17 == 3 ? "" : x.ToString("F4", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{cell},\"{shade}\",{y:F4},{target}\n");
        }
        return _files.Write(name, text.ToString());
    }

    private static void AssertSelfContained(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Pictures are inline (data: addresses); nothing names another file or a server.
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*""(?!data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        // Text from the data is escaped: the column "shade <i>" never becomes markup.
        Assert.DoesNotContain("shade <i>", html);
    }

    [Fact]
    public void Train_report_has_what_was_decided_the_curves_the_metrics_calibration_and_importance()
    {
        string report = Path.Combine(_files.Directory, "run.html");
        var (code, output, error) = CliRunner.Run("train", "--data", Table("t.csv", 300, 1), "--report", report, "--epochs", "30");
        Assert.True(code == 0, error);
        Assert.Contains($"Report written to {report}", output);
        string html = File.ReadAllText(report);
        AssertSelfContained(html);
        foreach (string section in new[] { "<h1>Training on t.csv</h1>", "What was read and decided", "Training curves", "Out-of-fold metrics", "Training metrics",
            "Importance of the columns", "Out-of-fold: confusion matrix", "Out-of-fold: reliability", "calibrated on 300 rows out of fold",
            "How the prediction moves with the most important columns" })
        {
            Assert.True(html.Contains(section, StringComparison.Ordinal), $"no '{section}' in the report");
        }
        Assert.True(Regex.Matches(html, "<img src=\"data:image/png;base64,").Count == 7, "curves, the out-of-fold confusion matrix and reliability diagram, importance, 3 dependence plots");
        Assert.Contains("shade &lt;i&gt;", html);
    }

    [Fact]
    public void Evaluate_report_and_reliability_plot_for_a_classifier_and_a_regressor()
    {
        string classifier = Path.Combine(_files.Directory, "c.safetensors"), regressor = Path.Combine(_files.Directory, "r.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Table("c.csv", 200, 2), "--save", classifier, "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Run("train", "--data", Table("r.csv", 200, 3, regression: true), "--save", regressor, "--quiet").ExitCode);

        string report = Path.Combine(_files.Directory, "eval.html"), reliability = Path.Combine(_files.Directory, "reliability.png");
        var (code, output, error) = CliRunner.Run("evaluate", "--model", classifier, "--data", Table("c2.csv", 150, 4), "--report", report, "--reliability-plot", reliability);
        Assert.True(code == 0, error);
        Assert.Contains("Reliability diagram written to", output);
        Assert.True(new FileInfo(reliability).Length > 5_000);
        string html = File.ReadAllText(report);
        AssertSelfContained(html);
        Assert.Contains("calibration (ECE)", html);
        Assert.Contains("Importance of the columns", html);

        string regression = Path.Combine(_files.Directory, "r.html");
        Assert.Equal(0, CliRunner.Run("evaluate", "--model", regressor, "--data", Table("r2.csv", 100, 5, regression: true), "--report", regression).ExitCode);
        string page = File.ReadAllText(regression);
        AssertSelfContained(page);
        Assert.Contains("predicted against actual values", page);
        var (refused, _, message) = CliRunner.Run("evaluate", "--model", regressor, "--data", Table("r3.csv", 10, 6, regression: true), "--reliability-plot", reliability);
        Assert.Equal(2, refused);
        Assert.StartsWith("error: --reliability-plot: expected a classification model", message);
    }

    [Fact]
    public void A_report_path_that_is_not_html_is_a_usage_error_before_training()
    {
        var (code, output, error) = CliRunner.Run("train", "--data", Table("t.csv", 50, 1), "--report", "run.txt");
        Assert.Equal(2, code);
        Assert.Equal("error: --report: expected a file name ending in .html. Received: 'run.txt'.\n", error);
        Assert.Empty(output);
    }

    [ChromiumFact]
    public void The_report_renders_in_a_headless_browser()
    {
        string report = Path.Combine(_files.Directory, "run.html"), screenshot = Path.Combine(_files.Directory, "run.png");
        Assert.Equal(0, CliRunner.Run("train", "--data", Table("t.csv", 200, 1), "--report", report, "--epochs", "10", "--quiet").ExitCode);
        (int exit, _, string error) = ExternalProcess.Run(ChromiumFactAttribute.Executable,
            "--headless", "--no-sandbox", "--disable-gpu", $"--screenshot={screenshot}", "--window-size=1000,2400", new Uri(report).AbsoluteUri);
        Assert.True(exit == 0 && File.Exists(screenshot), error);
        // A blank page compresses to a few kilobytes; the plots and tables do not.
        Assert.True(new FileInfo(screenshot).Length > 40_000, $"{new FileInfo(screenshot).Length} bytes");
    }
}
