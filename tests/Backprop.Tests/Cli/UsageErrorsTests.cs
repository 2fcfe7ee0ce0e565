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

    [Fact]
    public void A_name_far_from_every_other_gets_no_guess()
    {
        var (code, _, error) = CliRunner.Run("train", "--zzzzzz");
        Assert.Equal(2, code);
        Assert.DoesNotContain("did you mean", error);
        Assert.StartsWith("error: unknown option '--zzzzzz' for 'backprop train'", error);
    }
}
