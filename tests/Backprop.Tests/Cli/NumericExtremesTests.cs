using System.Globalization;
using System.Text;
using Backprop.Models;

namespace Backprop.Tests.Cli;

/// <summary>Numbers that break the math: near the limits of double, far outside training, a target in the 1e200s, a diverging optimizer, a million classes.</summary>
public sealed class NumericExtremesTests : TempFileTest
{
    // y depends on x; 'far' is an innocent column with one enormous cell (or two of opposite signs).
    private string Table(string name, Func<int, string> far, Func<int, double>? target = null, int rows = 80)
    {
        var text = new StringBuilder("x,far,y\n");
        for (int i = 0; i < rows; i++)
        {
            double x = i % 10 - 4.5;
            string y = target is null ? (x > 0 ? "high" : "low") : target(i).ToString("R", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{x},{far(i)},{y}\n");
        }
        return Files.Write(name, text.ToString());
    }

    [Fact]
    public void A_column_with_cells_near_the_limits_of_double_is_standardized_without_overflow()
    {
        string data = Table("big.csv", i => i == 3 ? "1e308" : i == 7 ? "-1.5e308" : (i % 5).ToString(CultureInfo.InvariantCulture));
        string model = Path.Combine(Files.Directory, "big.safetensors");
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--epochs", "20", "--save", model);
        Assert.True(code == 0, error);
        Assert.Matches(@"Training Accuracy: (1|0\.9)", output);
        var feature = TabularModel<float>.Load(model).Preprocessor.State.Features.Single(f => f.Name == "far");
        Assert.True(double.IsFinite(feature.Mean) && double.IsFinite(feature.Scale), $"mean {feature.Mean}, scale {feature.Scale}");
        Assert.InRange(feature.Scale, 1e306, 1e308);
    }

    [Fact]
    public void A_prediction_that_would_overflow_names_the_row_the_column_and_the_value()
    {
        string model = Path.Combine(Files.Directory, "m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Table("train.csv", i => (i % 5).ToString(CultureInfo.InvariantCulture)), "--epochs", "5", "--save", model).ExitCode);
        string rows = Files.Write("new.csv", "x,far\n1,2\n-3,1e308\n");
        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--data", rows, "--proba");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Matches(@"^error: Expected values the model can compute with\. Received: '1E\+308' in column 'far' at .*new\.csv line 3, [0-9.E+]+ standard deviations from its training mean", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("NaN", error);
    }

    [Fact]
    public void A_regression_target_in_the_1e200s_trains_in_double_precision_and_is_refused_in_single_with_the_reason()
    {
        string data = Table("huge.csv", i => (i % 5).ToString(CultureInfo.InvariantCulture), i => (i % 10 - 4.5) * 3e200 + i * 1e198); // 80 distinct: a regression
        string[] run = ["train", "--data", data, "--epochs", "60", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "8"];
        var (code, output, error) = CliRunner.Run([.. run, "--precision", "f64"]);
        Assert.True(code == 0, error);
        double r2 = double.Parse(output.Split('\n').Single(l => l.StartsWith("Training R²: ", StringComparison.Ordinal))["Training R²: ".Length..], CultureInfo.InvariantCulture);
        Assert.True(r2 > 0.9, $"R² {r2}");

        (code, _, error) = CliRunner.Run(run);
        Assert.Equal(1, code);
        Assert.Contains("error: Expected regression targets within the range of Single (±3.4E+38). Received: -1.35E+201 in the target column 'y' at", error);
        Assert.Contains("train in double precision (--precision f64), or rescale the target.", error);
        Assert.DoesNotContain("diverged", error);
    }

    [Fact]
    public void A_run_that_diverges_without_overflowing_ends_with_a_warning()
    {
        var (code, _, error) = CliRunner.Run("train", "--optimizer", "adam", "--lr", "1e6", "--epochs", "10");
        Assert.Equal(0, code);
        Assert.Matches(@"warning: the training loss ended at [0-9.E+]+ \(epoch 9\), [0-9.E+]+ times the 1\.1 of a constant prediction \(equal class probabilities\): the run diverged without overflowing; try a lower learning rate \(--lr, now 1E\+06\)", error);
        Assert.DoesNotContain("warning", CliRunner.Run("train", "--epochs", "10").Error);
    }

    [Fact]
    public void A_target_with_more_distinct_labels_than_a_model_can_have_outputs_is_refused_with_a_hint()
    {
        // 1,100 labels, some in two rows (each in one row only is another error: as many classes as rows).
        string data = Files.Write("ids.csv", "x,label\n" + string.Concat(Enumerable.Range(0, 1_200).Select(i => $"{i % 7},item{i % 1_100}\n")));
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--epochs", "1");
        Assert.Equal(1, code);
        Assert.Equal("", output.Trim());
        Assert.Contains("error: Expected at most 1,000 classes in the target column 'label'. Received: 1,100 distinct values in 1,200 rows", error);
        Assert.Contains("an identifier or free text? choose another target column", error);
    }
}
