using Backprop.Models;

namespace Backprop.Tests.Cli;

/// <summary>train --save, --resume, --checkpoint-every, --epochs 0 and --validation-data, through the CLI.</summary>
public sealed class TrainPersistenceTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    private static string[] EpochLines(string output) => output.Split('\n').Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).ToArray();

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Twenty_then_thirty_resumed_epochs_equal_fifty_in_one_go_exactly(string optimizer)
    {
        string[] common = ["--dataset", "wine", "--optimizer", optimizer, "--lr", optimizer == "adam" ? "0.001" : "0.01", "--batch-size", "8",
            "--validation", "0.2", "--precision", "f64"];
        var (code, whole, error) = CliRunner.Run(["train", "--epochs", "50", "--save", PathOf("whole.safetensors"), .. common]);
        Assert.True(code == 0, error);
        var (c1, first, e1) = CliRunner.Run(["train", "--epochs", "20", "--save", PathOf("part.safetensors"), .. common]);
        Assert.True(c1 == 0, e1);
        var (c2, second, e2) = CliRunner.Run(["train", "--epochs", "30", "--resume", PathOf("part.safetensors"), "--save", PathOf("resumed.safetensors"), .. common]);
        Assert.True(c2 == 0, e2);

        // The same 50 lines, epochs numbered on, shuffling included: the generator state travels in the file.
        string[] resumed = [.. EpochLines(first), .. EpochLines(second)];
        Assert.Equal(EpochLines(whole), resumed);
        Assert.StartsWith("Epoch 20 Loss: ", EpochLines(second)[0]);
        Assert.Equal(TabularModel<double>.Load(PathOf("whole.safetensors")).Network.Parameters,
            TabularModel<double>.Load(PathOf("resumed.safetensors")).Network.Parameters);
    }

    [Fact]
    public void Resuming_needs_only_the_file_and_the_epochs()
    {
        string[] options = ["--dataset", "wine", "--optimizer", "adam", "--lr", "0.002", "--batch-size", "16", "--validation", "0.25", "--seed", "4"];
        var (code, whole, error) = CliRunner.Run(["train", "--epochs", "12", .. options]);
        Assert.True(code == 0, error);
        Assert.Equal(0, CliRunner.Run(["train", "--epochs", "5", "--save", PathOf("short.safetensors"), .. options]).ExitCode);
        // Data set, optimizer, learning rate, batch size, validation and seed all come from the file.
        var (resumedCode, resumed, resumedError) = CliRunner.Run("train", "--resume", PathOf("short.safetensors"), "--epochs", "7");
        Assert.True(resumedCode == 0, resumedError);
        Assert.Equal(EpochLines(whole)[5..], EpochLines(resumed));
    }

    [Fact]
    public void Checkpoints_write_the_current_and_the_best_model()
    {
        string model = PathOf("ck.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--epochs", "7", "--checkpoint-every", "3", "--save", model, "--validation", "0.2");
        Assert.True(code == 0, error);
        Assert.True(File.Exists(model));
        string best = PathOf("ck.best.safetensors");
        Assert.True(File.Exists(best));
        // Both are complete tabular models: evaluate can read them.
        var (evaluate, output, _) = CliRunner.Run("evaluate", "--model", best, "--data", Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "iris.csv"));
        Assert.Equal(0, evaluate);
        Assert.Contains("accuracy", output);
    }

    [Fact]
    public void Zero_epochs_saves_an_initialized_untrained_model()
    {
        string model = PathOf("untrained.safetensors");
        var (code, output, error) = CliRunner.Run("train", "--epochs", "0", "--save", model, "--seed", "3");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("Epoch ", output);
        var loaded = TabularModel<float>.Load(model);
        // Standard-normal draws, not zeros: initialized.
        Assert.Contains(loaded.Network.Parameters, p => Math.Abs(p) > 0.5f);
    }

    [Fact]
    public void Resume_refuses_a_model_of_another_output_kind()
    {
        string model = PathOf("softmax.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--epochs", "1", "--save", model).ExitCode);
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--resume", model, "--loss", "bce");
        Assert.Equal(1, code);
        Assert.Contains("resume with the loss it was trained with", error);
    }

    [Fact]
    public void A_separate_validation_file_is_encoded_with_the_training_preprocessing()
    {
        string iris = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "iris.csv");
        var (code, output, error) = CliRunner.Run("train", "--data", iris, "--validation-data", iris, "--epochs", "5", "--json");
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        // Validating on the training file itself: the same samples, the same accuracy.
        Assert.Equal(150, json.RootElement.GetProperty("validation").GetProperty("samples").GetInt32());
        Assert.Equal(json.RootElement.GetProperty("train").GetProperty("accuracy").GetDouble(),
            json.RootElement.GetProperty("validation").GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void One_and_two_kernel_threads_write_byte_identical_model_files()
    {
        // Products of 64 × 256 × 256 multiply-adds and more: large enough to be split across threads.
        string[] common = ["--dataset", "wine", "--hidden", "256,256", "--batch-size", "64", "--epochs", "3", "--optimizer", "adam",
            "--lr", "0.001", "--init", "pytorch"];
        var (c1, _, e1) = CliRunner.Run(["train", "--threads", "1", "--save", PathOf("one.safetensors"), .. common]);
        var (c2, _, e2) = CliRunner.Run(["train", "--threads", "2", "--save", PathOf("two.safetensors"), .. common]);
        Assert.True(c1 == 0 && c2 == 0, e1 + e2);
        Assert.Equal(File.ReadAllBytes(PathOf("one.safetensors")), File.ReadAllBytes(PathOf("two.safetensors")));
    }
}
