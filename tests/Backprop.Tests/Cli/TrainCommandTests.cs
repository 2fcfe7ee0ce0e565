using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Cli;

public partial class TrainCommandTests
{
    [GeneratedRegex(@"^Epoch (\d+) Loss: (\S+)$")]
    private static partial Regex EpochLine();

    [Fact]
    public void Default_train_prints_50_epoch_lines_then_the_accuracy()
    {
        var (code, output, error) = CliRunner.Run("train");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(51, lines.Length);
        for (int epoch = 0; epoch < 50; epoch++)
        {
            Match match = EpochLine().Match(lines[epoch]);
            Assert.True(match.Success, $"line {epoch}: '{lines[epoch]}'");
            Assert.Equal(epoch.ToString(CultureInfo.InvariantCulture), match.Groups[1].Value);
            Assert.True(double.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, out double loss) && loss > 0);
        }
        Assert.StartsWith("Training Accuracy: ", lines[50]);
        double accuracy = double.Parse(lines[50]["Training Accuracy: ".Length..], CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.97, $"accuracy {accuracy}");
    }

    [Fact]
    public void The_same_seed_prints_the_same_numbers()
    {
        Assert.Equal(CliRunner.Run("train", "--seed", "5", "--epochs", "3").Output, CliRunner.Run("train", "--seed", "5", "--epochs", "3").Output);
        Assert.NotEqual(CliRunner.Run("train", "--seed", "5", "--epochs", "3").Output, CliRunner.Run("train", "--seed", "6", "--epochs", "3").Output);
    }

    [Fact]
    public void Options_change_the_run()
    {
        var (code, output, _) = CliRunner.Run("train", "--epochs", "3", "--hidden", "8,8", "--batch-size", "10", "--lr", "0.1",
            "--precision", "f64", "--init", "pytorch", "--no-shuffle", "--dataset", "wine");
        Assert.Equal(0, code);
        Assert.Equal(4, output.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void Help_lists_every_option_with_its_default_and_an_example()
    {
        var (code, output, _) = CliRunner.Run("train", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--epochs", "--lr", "--hidden", "--batch-size", "--seed", "--no-shuffle", "--precision", "--init", "--dataset" })
        {
            Assert.Contains(option, output);
        }
        Assert.Contains("[default: 50]", output);
        // The rate's default depends on the optimizer, so the help says both.
        Assert.Contains("default: the optimizer's, 0.01 for sgd and 0.001 for adam and adamw", output);
        Assert.Contains("Examples:", output);
    }

    [Theory]
    [InlineData("--hidden", "16,abc", "--hidden: expected positive integers separated by commas")]
    [InlineData("--epochs", "-1", "--epochs: expected an integer ≥ 0. Received: -1.")]
    [InlineData("--batch-size", "0", "--batch-size: expected an integer ≥ 1. Received: 0.")]
    [InlineData("--lr", "0", "--lr: expected a positive number. Received: 0.")]
    [InlineData("--precision", "f16", "f16")]
    [InlineData("--bogus", "1", "--bogus")]
    public void Usage_errors_exit_with_2_and_a_clear_message(string option, string value, string expected)
    {
        var (code, output, error) = CliRunner.Run("train", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void More_threads_than_processors_is_noted_and_capped()
    {
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--threads", "100000");
        Assert.Equal(0, code);
        int processors = Environment.ProcessorCount;
        Assert.Equal($"note: --threads 100000: this machine has {processors} processor{(processors == 1 ? "" : "s")}, so the kernels use {processors}\n", error);
        Assert.Equal("", CliRunner.Run("train", "--epochs", "1", "--threads", "1").Error);
    }
}
