using System.Diagnostics;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Examples;

/// <summary>Runs the file-based examples under examples/ as a user would (<c>dotnet run examples/X.cs</c>).</summary>
public class ExamplesTests
{
    private static (int ExitCode, string Output, string Error) DotnetRun(string example)
    {
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("examples", example)])
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
        double accuracy = double.Parse(output.Split('\n').Single(l => l.StartsWith("Training Accuracy: ", StringComparison.Ordinal))["Training Accuracy: ".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
    }
}
