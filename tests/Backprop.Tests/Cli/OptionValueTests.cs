using System.CommandLine;
using Backprop.Optimizers;

namespace Backprop.Tests.Cli;

/// <summary>
/// Every option of every command, given a value of the wrong type, out of range, or too large to hold: exit code 2, one line
/// naming the option, nothing on stdout, never a stack trace. Generated from the command definitions, so an option added
/// later is tried without writing a test for it.
/// </summary>
public class OptionValueTests
{
    // The other options a command needs to get as far as checking the one tried.
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["evaluate"] = ["--model", "m.safetensors", "--data", "d.csv"],
        ["predict"] = ["--model", "m.safetensors", "--data", "d.csv"],
        ["explain"] = ["--model", "m.safetensors", "--data", "d.csv"],
        ["info"] = ["--model", "m.safetensors"],
        ["export"] = ["--model", "m.safetensors", "--onnx", "m.onnx"],
    };

    // train's options that only go with --data.
    private static readonly string[] DataCompanions = ["--target", "--features", "--drop", "--categorical", "--missing", "--delimiter", "--decimal", "--validation-data"];

    /// <summary>Wrong values for an option of this type: what a user might type.</summary>
    private static IEnumerable<string> BadValues(Option option)
    {
        Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        if (type == typeof(int)) return ["x", "1.5", "99999999999", "-1", ""];
        if (type == typeof(double)) return ["x", "0,01", "1e999", "-1e300", ""];
        if (type == typeof(ulong)) return ["x", "-1", "18446744073709551616"];
        if (type == typeof(long)) return ["x", "-1", "1.5x", "1e99GB", "99999999TB", "10", ""]; // sizes (--stream-memory)
        if (type == typeof(int[])) return ["x", "1.5", "99999999999", "-1"];
        if (type == typeof(double[])) return ["x", "-1", "1e999"];
        if (type == typeof(char)) return ["ab", "", "x", "#"];
        if (type == typeof(Backprop.Cli.Commands.TrainCommand.Patience)) return ["x", "1.5", "99999999999", "-1", "0", "nones", ""];
        if (type == typeof(LearningRateSchedule)) return ["sideways", "cosine:1.5", "step:0", ""];
        if (type == typeof(string[])) return ["", ","];
        if (type == typeof(string)) return option.HelpName?.Contains('|', StringComparison.Ordinal) == true ? ["not-a-choice", ""] : [""];
        return [];
    }

    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        RootCommand root = Backprop.Cli.Cli.CreateRootCommand(TextWriter.Null, TextWriter.Null, false, default);
        foreach (Command command in root.Subcommands)
        {
            foreach (Option option in command.Options)
            {
                foreach (string value in BadValues(option))
                {
                    cases.Add(command.Name, option.Name, value);
                }
            }
        }
        return cases;
    }

    [Fact]
    public void Every_command_s_value_options_are_tried()
    {
        string[] tried = Cases().Select(c => $"{c[0]} {c[1]}").Distinct().ToArray();
        RootCommand root = Backprop.Cli.Cli.CreateRootCommand(TextWriter.Null, TextWriter.Null, false, default);
        foreach (Command command in root.Subcommands)
        {
            foreach (Option option in command.Options.Where(o => o.ValueType != typeof(bool)))
            {
                Assert.Contains($"{command.Name} {option.Name}", tried); // a value type BadValues does not know: add it there
            }
        }
        Assert.True(tried.Length >= 45, $"{tried.Length} options tried");
    }

    [Theory]
    [InlineData("--lr: expected a rate that float32 holds (at most 3.4E+38). Received: 1E+39.", "--lr", "1e39")]
    [InlineData("--lr: expected a rate that float32 holds (at most 3.4E+38). Received: 1E+308.", "--lr", "1e308", "--data", "iris.csv")]
    [InlineData("--hidden: expected a network of at most 2,147,483,591 weights and biases (4 inputs, 3 outputs). Received: 46341,46341: 2,147,905,353.",
        "--hidden", "46341,46341")]
    [InlineData("--hidden: expected a network of at most 2,147,483,591 weights and biases (36 inputs, 3 outputs, 64 members). Received: 1000000000: 2,560,000,000,192.",
        "--hidden", "1000000000", "--members", "64", "--data", "iris.csv")]
    [InlineData("--features: expected each column once. Received: 'sepal_length' twice.", "--data", "iris.csv", "--features", "sepal_length,petal_width,sepal_length")]
    [InlineData("--drop: expected columns not also in --features. Received: 'sepal_width'.", "--data", "iris.csv", "--drop", "sepal_width", "--features", "sepal_width,petal_length")]
    [InlineData("--epochs: expected an integer of at most 2,147,483,647. Received: '99999999999'.", "--epochs", "99999999999")]
    [InlineData("--schedule: expected a floor no higher than the --lr 0.01. Received: 'cosine:0:5'.", "--schedule", "cosine:0:5")]
    [InlineData("--schedule: expected a warm-up shorter than the run's --epochs 3. Received: 'cosine:100'.", "--schedule", "cosine:100", "--epochs", "3")]
    public void A_value_that_the_run_cannot_use_is_one_line(string message, params string[] options)
    {
        // Values each option's own parse allows but the run cannot use (its inputs, float32's largest number, its other columns), and
        // an integer past int's range: checked before any training.
        string iris = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "iris.csv");
        string[] args = ["train", .. options.Select(o => o == "iris.csv" ? iris : o)];
        var (code, output, error) = CliRunner.Run(args);

        Assert.True(code == 2, $"exit code {code} for {string.Join(' ', args)}: {error}");
        Assert.Equal($"error: {message}", error.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal)));
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("Epoch", output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_wrong_value_is_one_line_naming_the_option_and_exit_code_2(string command, string option, string value)
    {
        string[] args = [command, .. Required.GetValueOrDefault(command, []),
            .. command == "train" && DataCompanions.Contains(option) ? ["--data", "d.csv"] : Array.Empty<string>(), option, value];
        var (code, output, error) = CliRunner.Run(args);

        Assert.True(code == 2, $"exit code {code} for {string.Join(' ', args)}: {error}");
        Assert.Equal("", output);
        string[] lines = error.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"{lines.Length} lines for {string.Join(' ', args)}:\n{error}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(option, lines[0]);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
    }
}
