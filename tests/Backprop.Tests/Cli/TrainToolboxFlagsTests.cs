using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Cli;

public class TrainToolboxFlagsTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Backprop.Cli.Cli.Run(["train", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Default_run_is_still_the_notebook()
    {
        (int code, string output, _) = Run();
        Assert.Equal(0, code);
        string[] lines = Lines(output);
        Assert.Equal(51, lines.Length);
        for (int e = 0; e < 50; e++) Assert.Matches($@"^Epoch {e} Loss: [0-9.E-]+$", lines[e]);
        Assert.Matches(@"^Training Accuracy: 0\.9[0-9]*$", lines[50]);
    }

    [Fact]
    public void Validation_adds_the_validation_loss_and_held_out_metrics()
    {
        (int code, string output, _) = Run("--dataset", "wine", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--epochs", "5",
            "--validation", "0.2", "--init", "pytorch");
        Assert.Equal(0, code);
        string[] lines = Lines(output);
        for (int e = 0; e < 5; e++) Assert.Matches($@"^Epoch {e} Loss: [0-9.E-]+ Validation Loss: [0-9.E-]+$", lines[e]);
        Assert.Matches(@"^Training Accuracy: ", lines[5]);
        Assert.Contains(lines, l => l.StartsWith("Validation Accuracy: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("macro F1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("confusion matrix", StringComparison.Ordinal));
        // Without class weights the validation log loss is the final validation loss (same outputs, same formula).
        double lastValidation = double.Parse(Regex.Match(lines[4], "Validation Loss: (.*)$").Groups[1].Value, CultureInfo.InvariantCulture);
        double logLoss = double.Parse(lines.Single(l => l.StartsWith("log loss", StringComparison.Ordinal))["log loss".Length..], CultureInfo.InvariantCulture);
        Assert.Equal(lastValidation, logLoss, 4);
    }

    [Fact]
    public void Early_stopping_reports_the_restored_epoch()
    {
        (int code, string output, _) = Run("--dataset", "wine", "--optimizer", "adam", "--lr", "0.05", "--batch-size", "8", "--epochs", "40",
            "--validation", "0.2", "--early-stopping", "2", "--init", "pytorch");
        Assert.Equal(0, code);
        Assert.Matches(@"Early stopping: (stopped after epoch \d+|ran all epochs); restored the weights of epoch \d+ \(validation loss [0-9.E-]+\)\.", output);
    }

    [Theory]
    [InlineData("--optimizer", "adamw")]
    [InlineData("--activation", "tanh")]
    [InlineData("--init", "he")]
    [InlineData("--schedule", "step:2:0.5")]
    [InlineData("--clip-norm", "0.5")]
    [InlineData("--label-smoothing", "0.1")]
    [InlineData("--dropout", "0.2")]
    [InlineData("--class-weight", "balanced")]
    [InlineData("--loss", "bce")]
    public void Each_flag_changes_the_run(string flag, string value)
    {
        string[] common = ["--dataset", "wine", "--epochs", "4", "--batch-size", "8"]; // wine: unequal classes, so balanced weights differ from 1
        (_, string baseline, _) = Run(common);
        (int code, string changed, string error) = Run([.. common, flag, value]);
        Assert.True(code == 0, error);
        Assert.NotEqual(Lines(baseline)[3], Lines(changed)[3]);
    }

    [Theory]
    [InlineData("--beta2", "0.9", "warning: --beta2 0.9 is unused: it is the second-moment decay of adam and adamw, and --optimizer is sgd")]
    [InlineData("--huber-delta", "2", "warning: --huber-delta 2 is unused: the loss is cross-entropy (--loss huber to use it)")]
    [InlineData("--min-delta", "0.01", "warning: --min-delta 0.01 does not change the model without --early-stopping or --restore-best: the run keeps its last epoch")]
    [InlineData("--stream-memory", "64MB", "warning: --stream-memory 64 MB is unused: the data is read whole, not streamed (--stream to stream it)")]
    [InlineData("--early-stopping-steps", "100", "warning: --early-stopping-steps 100 is unused: it is early stopping's patience in steps, and --early-stopping is none")]
    public void A_flag_the_run_does_not_use_is_named_in_a_warning_and_changes_nothing(string flag, string value, string warning)
    {
        string[] common = ["--dataset", "wine", "--epochs", "4", "--batch-size", "8"]; // the notebook's SGD and cross-entropy
        (_, string baseline, string quiet) = Run(common);
        (int code, string output, string error) = Run([.. common, flag, value]);
        Assert.True(code == 0, error);
        Assert.Equal(baseline, output);
        Assert.DoesNotContain("warning", quiet);
        Assert.Equal([warning], Lines(error));

        (_, string json, _) = Run([.. common, flag, value, "--json"]);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(warning["warning: ".Length..], Assert.Single(document.RootElement.GetProperty("warnings").EnumerateArray()).GetString());
    }

    [Fact]
    public void Dropout_without_a_hidden_layer_is_named_in_a_warning_and_changes_nothing()
    {
        string[] common = ["--dataset", "wine", "--epochs", "4", "--batch-size", "8", "--hidden", "none"];
        (_, string baseline, _) = Run(common);
        (int code, string output, string error) = Run([.. common, "--dropout", "0.3"]);
        Assert.True(code == 0, error);
        Assert.Equal(baseline, output);
        Assert.Equal(["warning: --dropout 0.3 is unused: it drops hidden units, and --hidden is none"], Lines(error));
    }

    [Fact]
    public void Regression_task_reports_r2_mae_and_rmse()
    {
        // Alcohol content of the wines from their other measurements (and the cultivar, one-hot encoded).
        string wine = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv");
        (int code, string output, string error) = Run("--task", "regression", "--data", wine, "--target", "alcohol", "--optimizer", "adam", "--lr", "0.01",
            "--batch-size", "16", "--epochs", "20", "--validation", "0.2", "--loss", "huber");
        Assert.True(code == 0, error);
        Assert.Matches(@"Training R²: 0\.[5-9]", output);
        Assert.Matches(@"RMSE  0\.[0-9]+", output);
    }

    [Theory]
    [InlineData("--task", "regression", "--loss", "bce")]
    [InlineData("--loss", "mse")]
    [InlineData("--nesterov")]
    [InlineData("--schedule", "sideways")]
    [InlineData("--validation", "1.5")]
    [InlineData("--class-weight", "1,x")]
    [InlineData("--early-stopping", "0")]
    [InlineData("--init", "lecun")]
    public void Contradictory_or_malformed_flags_are_usage_errors(params string[] args)
    {
        (int code, _, string error) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
    }

    [Fact]
    public void Wrong_number_of_class_weights_is_a_clear_error()
    {
        // A value that only the data can refuse is still a usage error, named by its flag.
        (int code, _, string error) = Run("--class-weight", "1,2", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal("error: --class-weight: expected 3 weights, one per class (setosa, versicolor, virginica). Received: 2.\n", error.ReplaceLineEndings("\n"));
    }
}
