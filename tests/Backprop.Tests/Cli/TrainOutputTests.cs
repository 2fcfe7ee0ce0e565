using System.Text.Json;

namespace Backprop.Tests.Cli;

/// <summary>What <c>train</c> prints for scripts (<c>--json</c>), for a quiet run, and when redirected.</summary>
public sealed class TrainOutputTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Json_is_exactly_one_object_with_the_documented_keys()
    {
        string model = Path.Combine(_files.Directory, "m.safetensors");
        var (code, output, _) = CliRunner.Run("train", "--dataset", "wine", "--epochs", "4", "--validation", "0.2", "--optimizer", "adam",
            "--lr", "0.01", "--batch-size", "16", "--json", "--save", model);
        Assert.Equal(0, code);
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("classification", root.GetProperty("task").GetString());
        Assert.Equal(4, root.GetProperty("epochs").GetInt32());
        Assert.Equal(4, root.GetProperty("history").GetProperty("loss").GetArrayLength());
        Assert.Equal(4, root.GetProperty("history").GetProperty("val_loss").GetArrayLength());
        Assert.InRange(root.GetProperty("train").GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.Equal(36, root.GetProperty("validation").GetProperty("samples").GetInt32());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Quiet_prints_only_the_final_result()
    {
        var (code, output, _) = CliRunner.Run("train", "--quiet");
        Assert.Equal(0, code);
        Assert.Matches(@"^Training Accuracy: 0\.9\d*\n$", output);
    }

    [Fact]
    public void Redirected_output_is_plain_lines_without_escape_codes()
    {
        var (code, output, error) = CliRunner.Run("train", "--dataset", "wine", "--epochs", "3", "--validation", "0.2", "--init", "pytorch");
        Assert.Equal(0, code);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u001b', error);
        Assert.StartsWith("Epoch 0 Loss: ", output);
    }

    [Fact]
    public void Plot_writes_a_png_of_the_training_curves()
    {
        string plot = Path.Combine(_files.Directory, "curves.png");
        var (code, output, _) = CliRunner.Run("train", "--epochs", "5", "--validation", "0.3", "--plot", plot);
        Assert.Equal(0, code);
        Assert.Contains($"Plot written to {plot}", output);
        byte[] png = File.ReadAllBytes(plot);
        Assert.Equal(0x89, png[0]);
        Assert.Equal((byte)'P', png[1]);
        Assert.True(png.Length > 10_000, $"{png.Length} bytes: an empty plot?");
    }

    [Fact]
    public void Json_and_quiet_leave_stdout_free_of_epoch_lines_on_divergence_too()
    {
        var (code, output, error) = CliRunner.Run("train", "--dataset", "wine", "--lr", "1e30", "--json");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: Training diverged", error);
    }

    [Fact]
    public void Errors_are_red_only_for_a_terminal_and_verbose_adds_the_causes()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Backprop.Cli.Cli.Run(["info", "--model", "absent.safetensors"], output, error, colorErrors: true);
        Assert.Equal(1, code);
        Assert.StartsWith("\u001b[31merror: Expected an existing model file.", error.ToString());
        Assert.DoesNotContain('\u001b', CliRunner.Run("info", "--model", "absent.safetensors").Error);

        string notUtf8 = Path.Combine(_files.Directory, "latin1.csv");
        File.WriteAllBytes(notUtf8, [.. "a,b\n"u8, 0xE9, (byte)',', (byte)'1', (byte)'\n']);
        var (verboseCode, _, verbose) = CliRunner.Run("train", "--data", notUtf8, "--verbose");
        Assert.Equal(1, verboseCode);
        Assert.StartsWith("error: Expected a UTF-8 text file.", verbose);
        Assert.DoesNotContain("   at ", verbose);
    }
}
