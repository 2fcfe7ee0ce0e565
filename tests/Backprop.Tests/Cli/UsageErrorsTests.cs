namespace Backprop.Tests.Cli;

/// <summary>Mistyped commands and options: one line each, exit code 2, with the nearest name when there is one.</summary>
public sealed class UsageErrorsTests
{
    [Theory]
    [InlineData(new[] { "train", "--epoch", "3" }, "error: unknown option '--epoch' for 'backprop train'; did you mean '--epochs'? (see 'backprop train --help')")]
    [InlineData(new[] { "trian" }, "error: unknown command 'trian' for 'backprop'; did you mean 'train'? (see 'backprop --help')")]
    [InlineData(new[] { "predcit", "--model", "m.safetensors" }, "error: unknown command 'predcit' for 'backprop'; did you mean 'predict'? (see 'backprop --help')")]
    [InlineData(new[] { "evaluate", "--modle", "m.safetensors", "--data", "d.csv" }, "error: unknown option '--modle' for 'backprop evaluate'; did you mean '--model'? (see 'backprop evaluate --help')")]
    public void A_typo_gets_the_nearest_name(string[] args, string expected)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error.TrimEnd('\n').Split('\n')[0]);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    // System.CommandLine takes the next option's name for the value, and its value then looks like an unknown word.
    [InlineData(new[] { "train", "--lr", "--save", "m.safetensors" }, "error: --lr: no value given (the next word, --save, is an option) (see 'backprop train --help').")]
    [InlineData(new[] { "predict", "--model", "--data", "d.csv" }, "error: --model: no value given (the next word, --data, is an option) (see 'backprop predict --help').")]
    [InlineData(new[] { "train", "--epochs", "3", "--target", "--verbose" }, "error: --target: no value given (the next word, --verbose, is an option) (see 'backprop train --help').")]
    // These parse without an error: --save would write a model file named "--json" and print no JSON, --out predictions
    // to a file named "--proba" without probabilities.
    [InlineData(new[] { "train", "--epochs", "1", "--save", "--json" }, "error: --save: no value given (the next word, --json, is an option) (see 'backprop train --help').")]
    [InlineData(new[] { "predict", "--model", "m.safetensors", "--data", "d.csv", "--out", "--proba" }, "error: --out: no value given (the next word, --proba, is an option) (see 'backprop predict --help').")]
    [InlineData(new[] { "train", "--save", "-q" }, "error: --save: no value given (the next word, -q, is an option) (see 'backprop train --help').")]
    [InlineData(new[] { "train", "--save", "--help" }, "error: --save: no value given (the next word, --help, is an option) (see 'backprop train --help').")]
    // The last word: System.CommandLine's "Required argument missing for option", and for predict also "--data is required".
    [InlineData(new[] { "train", "--epochs", "1", "--save" }, "error: --save: no value given (see 'backprop train --help').")]
    [InlineData(new[] { "predict", "--model" }, "error: --model: no value given (see 'backprop predict --help').")]
    public void An_option_without_its_value_is_named(string[] args, string expected)
        => AssertUsageError(args, expected);

    [Theory]
    [InlineData(new[] { "train", "--epochs", "3", "--epochs", "4" }, "error: --epochs: given 2 times (3, then 4); give it once (see 'backprop train --help').")]
    [InlineData(new[] { "train", "--lr", "0.1", "--learning-rate", "0.2" }, "error: --lr and --learning-rate are one option, given 2 times (0.1, then 0.2); give it once (see 'backprop train --help').")]
    [InlineData(new[] { "export", "--model", "m.safetensors", "--out", "a.onnx", "--onnx", "b.onnx" }, "error: --out and --onnx are one option, given 2 times (a.onnx, then b.onnx); give it once (see 'backprop export --help').")]
    public void An_option_of_one_value_given_twice_says_so(string[] args, string expected)
        => AssertUsageError(args, expected);

    [Fact]
    public void A_negative_number_is_a_value_not_a_missing_one()
    {
        var (code, _, error) = CliRunner.Run("train", "--lr", "-0.5");
        Assert.Equal(2, code);
        Assert.Equal("error: --lr: expected a positive number. Received: -0.5.", error.TrimEnd('\n'));
    }

    [Fact]
    public void A_name_far_from_every_other_gets_no_guess()
    {
        var (code, _, error) = CliRunner.Run("train", "--zzzzzz");
        Assert.Equal(2, code);
        Assert.DoesNotContain("did you mean", error);
        Assert.StartsWith("error: unknown option '--zzzzzz' for 'backprop train'", error);
    }

    [Fact]
    public void An_unquoted_glob_after_data_says_to_quote_it()
    {
        using var files = new TempFiles();
        string first = files.Write("part-0.csv", "x,y\n1,2\n"), second = files.Write("part-1.csv", "x,y\n3,4\n");
        // What the shell passes for --data part-*.csv: the first file to --data, the second as an extra word.
        var (code, _, error) = CliRunner.Run("train", "--data", first, second);
        Assert.Equal(2, code);
        Assert.Equal($"error: unknown argument '{second}' for 'backprop train': a second file after --data; an unquoted glob? The shell expands it " +
            "into its files: quote it, as --data 'shards/*.csv', or give the folder.", error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(new[] { "train", "my.csv" }, "error: unknown argument 'my.csv' for 'backprop train'; did you mean '--data my.csv'? (see 'backprop train --help')")]
    [InlineData(new[] { "info", "m.safetensors" }, "error: unknown argument 'm.safetensors' for 'backprop info'; did you mean '--model m.safetensors'? (see 'backprop info --help')")]
    [InlineData(new[] { "predict", "--model", "m.safetensors", "new.parquet" }, "error: unknown argument 'new.parquet' for 'backprop predict'; did you mean '--data new.parquet'? (see 'backprop predict --help')")]
    [InlineData(new[] { "export", "--model", "m.safetensors", "m.onnx" }, "error: unknown argument 'm.onnx' for 'backprop export'; did you mean '--onnx m.onnx'? (see 'backprop export --help')")]
    [InlineData(new[] { "train", "--data", "d.csv", "curves.svg" }, "error: unknown argument 'curves.svg' for 'backprop train'; did you mean '--plot curves.svg'? (see 'backprop train --help')")]
    [InlineData(new[] { "train", "--data", "d.csv", "new.safetensors" }, "error: unknown argument 'new.safetensors' for 'backprop train'; did you mean '--save new.safetensors'? (see 'backprop train --help')")]
    // The option is on the line already: the word is one too many, not a file without its option.
    [InlineData(new[] { "info", "--model", "a.safetensors", "b.safetensors" }, "error: unknown argument 'b.safetensors' for 'backprop info' (see 'backprop info --help').")]
    [InlineData(new[] { "export", "--model", "m.safetensors", "--out", "a.onnx", "b.onnx" }, "error: unknown argument 'b.onnx' for 'backprop export' (see 'backprop export --help').")]
    // Not a file: no option to suggest.
    [InlineData(new[] { "train", "fast" }, "error: unknown argument 'fast' for 'backprop train' (see 'backprop train --help').")]
    public void A_file_without_its_option_gets_the_option(string[] args, string expected)
        => AssertUsageError(args, expected);

    [Fact]
    public void A_model_file_that_exists_is_one_to_resume_and_data_without_an_extension_is_data()
    {
        using var files = new TempFiles();
        string model = files.Write("m.safetensors", "not read"), data = files.Write("measurements", "x,y\n1,2\n");
        Assert.Equal($"error: unknown argument '{model}' for 'backprop train'; did you mean '--resume {model}'? (see 'backprop train --help')",
            CliRunner.Run("train", model).Error.TrimEnd('\n'));
        Assert.Equal($"error: unknown argument '{data}' for 'backprop evaluate'; did you mean '--data {data}'? (see 'backprop evaluate --help')",
            CliRunner.Run("evaluate", "--model", model, data).Error.TrimEnd('\n'));
    }

    // One line on stderr, nothing on stdout, exit code 2.
    private static void AssertUsageError(string[] args, string expected)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error.TrimEnd('\n'));
    }
}
