using System.Globalization;
using System.Text.Json;
using Backprop.Models;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

/// <summary>train --save, --resume, --checkpoint-every, Ctrl+C, --epochs 0 and --validation-data, through the CLI.</summary>
/// <remarks>
/// The resume rule: the file's options, with every flag given on the command line applied on top; <c>--epochs</c> is the run's
/// length counted from its first epoch. Each option kind has a test here (the library's side is in TabularTrainerTests).
/// </remarks>
public sealed class TrainPersistenceTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    private static string[] EpochLines(string output) => output.Split('\n').Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).ToArray();

    private static double[] Losses(string output) =>
        EpochLines(output).Select(l => double.Parse(l.Split(' ')[3], CultureInfo.InvariantCulture)).ToArray();

    private static float[] Parameters(string path) => TabularModel<float>.Load(path).Network.Parameters;

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
        var (c2, second, e2) = CliRunner.Run(["train", "--epochs", "50", "--resume", PathOf("part.safetensors"), "--save", PathOf("resumed.safetensors"), .. common]);
        Assert.True(c2 == 0, e2);

        // The same 50 lines, epochs numbered on, shuffling included: the generator state travels in the file.
        string[] resumed = [.. EpochLines(first), .. EpochLines(second)];
        Assert.Equal(EpochLines(whole), resumed);
        Assert.StartsWith("Epoch 20 Loss: ", EpochLines(second)[0]);
        Assert.Equal(TabularModel<double>.Load(PathOf("whole.safetensors")).Network.Parameters,
            TabularModel<double>.Load(PathOf("resumed.safetensors")).Network.Parameters);
        Assert.Contains($"note: resuming '{PathOf("part.safetensors")}' after 20 epochs: epochs 20 to 49", e2);
    }

    [Fact]
    public void Resuming_needs_only_the_file_and_the_epochs()
    {
        string[] options = ["--dataset", "wine", "--optimizer", "adam", "--lr", "0.002", "--batch-size", "16", "--validation", "0.25", "--seed", "4"];
        var (code, whole, error) = CliRunner.Run(["train", "--epochs", "12", .. options]);
        Assert.True(code == 0, error);
        Assert.Equal(0, CliRunner.Run(["train", "--epochs", "5", "--save", PathOf("short.safetensors"), .. options]).ExitCode);
        // Data set, optimizer, learning rate, batch size, validation and seed all come from the file.
        var (resumedCode, resumed, resumedError) = CliRunner.Run("train", "--resume", PathOf("short.safetensors"), "--epochs", "12");
        Assert.True(resumedCode == 0, resumedError);
        Assert.Equal(EpochLines(whole)[5..], EpochLines(resumed));
    }

    [Fact]
    public void A_run_resumed_without_epochs_finishes_the_run_it_continues_and_one_that_is_finished_trains_nothing()
    {
        // Saved after 7 of 12 epochs (a Ctrl+C after the line of epoch 6 ends the run there): resuming with nothing but
        // the file trains epochs 7 to 11, to the bits of the run that was never interrupted.
        string[] options = ["--dataset", "wine", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--epochs", "12"];
        var (_, whole, _) = CliRunner.Run(["train", "--save", PathOf("whole.safetensors"), .. options]);
        var (code, _, error) = CliRunner.RunInterruptedAfter("Epoch 6 ", ["train", "--save", PathOf("part.safetensors"), .. options]);
        Assert.True(code == 130, error);
        int saved = int.Parse(SafeTensors.Load(PathOf("part.safetensors")).Metadata["training.epochs_completed"], CultureInfo.InvariantCulture);
        Assert.InRange(saved, 1, 7); // the best epoch so far: by training loss, the last one or close to it

        var (resumedCode, resumed, resumedError) = CliRunner.Run("train", "--resume", PathOf("part.safetensors"), "--save", PathOf("resumed.safetensors"));
        Assert.True(resumedCode == 0, resumedError);
        Assert.Equal(EpochLines(whole)[saved..], EpochLines(resumed));
        Assert.Equal(Parameters(PathOf("whole.safetensors")), Parameters(PathOf("resumed.safetensors")));

        // Finished: nothing to train, the model as it was, and a note that says how to train longer.
        var (doneCode, done, doneError) = CliRunner.Run("train", "--resume", PathOf("resumed.safetensors"), "--save", PathOf("again.safetensors"));
        Assert.True(doneCode == 0, doneError);
        Assert.Empty(EpochLines(done));
        Assert.Contains("has trained all 12 epochs of its run: nothing to train", doneError);
        Assert.Equal(Parameters(PathOf("resumed.safetensors")), Parameters(PathOf("again.safetensors")));
    }

    [Fact]
    public void A_learning_rate_given_on_resume_is_the_rate_the_resumed_epochs_train_with()
    {
        // The first of the three resume bugs: the optimizer's saved rate overwrote --lr, so --lr 0.5 trained exactly as 0.01.
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "wine", "--init", "pytorch", "--batch-size", "8", "--epochs", "10", "--save", PathOf("m.safetensors")).ExitCode);
        var (c1, slow, e1) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "14", "--save", PathOf("slow.safetensors"));
        var (c2, fast, e2) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "14", "--lr", "0.5", "--save", PathOf("fast.safetensors"));
        Assert.True(c1 == 0 && c2 == 0, e1 + e2);
        Assert.NotEqual(Losses(slow), Losses(fast));
        // Fifty times the rate moves the weights much further from where the run resumed.
        float[] start = Parameters(PathOf("m.safetensors"));
        double Moved(string path) => Math.Sqrt(start.Zip(Parameters(path), (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.True(Moved(PathOf("fast.safetensors")) > 5 * Moved(PathOf("slow.safetensors")),
            $"moved {Moved(PathOf("fast.safetensors"))} at lr 0.5, {Moved(PathOf("slow.safetensors"))} at 0.01");
        // And the file records it: resuming that file again goes on at 0.5.
        using JsonDocument training = JsonDocument.Parse(SafeTensors.Load(PathOf("fast.safetensors")).Metadata["training"]);
        Assert.Equal(0.5, training.RootElement.GetProperty("learning_rate").GetDouble());
    }

    [Fact]
    public void A_resumed_cosine_schedule_goes_on_where_the_run_was_and_ends_as_the_run_in_one_go()
    {
        // The second bug: the schedule took the restored, already decayed rate as its base and the resumed epochs as its horizon,
        // so a resumed cosine run trained at a rate near 0. Interrupted after 8 of 30 epochs, then resumed: the run in one go.
        string[] options = ["--dataset", "wine", "--init", "pytorch", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.05", "--batch-size", "16",
            "--epochs", "30", "--schedule", "cosine:3", "--precision", "f64"];
        var (_, whole, _) = CliRunner.Run(["train", "--save", PathOf("whole.safetensors"), .. options]);
        var (code, _, error) = CliRunner.RunInterruptedAfter("Epoch 7 ", ["train", "--save", PathOf("part.safetensors"), .. options]);
        Assert.True(code == 130, error);
        int saved = int.Parse(SafeTensors.Load(PathOf("part.safetensors")).Metadata["training.epochs_completed"], CultureInfo.InvariantCulture);
        var (resumedCode, resumed, resumedError) = CliRunner.Run("train", "--resume", PathOf("part.safetensors"), "--save", PathOf("resumed.safetensors"));
        Assert.True(resumedCode == 0, resumedError);
        Assert.Equal(EpochLines(whole)[saved..], EpochLines(resumed));
        Assert.Equal(TabularModel<double>.Load(PathOf("whole.safetensors")).Network.Parameters,
            TabularModel<double>.Load(PathOf("resumed.safetensors")).Network.Parameters);
    }

    [Fact]
    public void A_cosine_run_lengthened_on_resume_keeps_training_at_the_rate_of_the_new_horizon()
    {
        // 20 epochs of a 20-epoch cosine run end at a rate near 0; resumed to 50, the schedule spans 50 epochs from its base
        // rate: epochs 20 to 49 train at cos rates well above 0 and the loss keeps falling (with the bug: flat).
        string[] options = ["--dataset", "wine", "--init", "pytorch", "--batch-size", "16", "--lr", "0.05", "--schedule", "cosine"];
        Assert.Equal(0, CliRunner.Run(["train", "--epochs", "20", "--save", PathOf("m.safetensors"), .. options]).ExitCode);
        var (code, output, error) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "50");
        Assert.True(code == 0, error);
        double[] losses = Losses(output);
        Assert.Equal(30, losses.Length);
        Assert.True(losses[^1] < 0.8 * losses[0], $"loss {losses[0]} at epoch 20, {losses[^1]} at epoch 49");
    }

    [Fact]
    public void A_seed_above_two_to_the_53_resumes_with_the_same_split()
    {
        // The third bug: the seed was written as a JSON number and read back as a double, 9007199254740993 → …992, so the
        // resumed run held out other rows.
        string[] options = ["--dataset", "wine", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--validation", "0.3", "--seed", "9007199254740993"];
        var (_, whole, _) = CliRunner.Run(["train", "--epochs", "9", .. options]);
        Assert.Equal(0, CliRunner.Run(["train", "--epochs", "4", "--save", PathOf("m.safetensors"), .. options]).ExitCode);
        var (code, resumed, error) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "9");
        Assert.True(code == 0, error);
        Assert.Equal(EpochLines(whole)[4..], EpochLines(resumed));
        Assert.Contains("\"seed\":9007199254740993", SafeTensors.Load(PathOf("m.safetensors")).Metadata["training"]);
    }

    [Fact]
    public void A_seed_given_again_changes_nothing_and_another_seed_gives_another_split()
    {
        string[] options = ["--dataset", "wine", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--validation", "0.3", "--seed", "5"];
        Assert.Equal(0, CliRunner.Run(["train", "--epochs", "3", "--save", PathOf("m.safetensors"), .. options]).ExitCode);
        var (_, plain, _) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "6");
        var (_, same, _) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "6", "--seed", "5");
        var (code, other, error) = CliRunner.Run("train", "--resume", PathOf("m.safetensors"), "--epochs", "6", "--seed", "6", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(plain, same);
        Assert.Contains("note: seed 6 instead of 5: a new split and a new generator from epoch 3 on", error);
        // Other rows held out: the validation figures differ, the sizes do not.
        using JsonDocument json = JsonDocument.Parse(other);
        Assert.Equal(53, json.RootElement.GetProperty("validation").GetProperty("samples").GetInt32());
        Assert.NotEqual(Losses(plain), json.RootElement.GetProperty("history").GetProperty("loss").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    [Fact]
    public void Other_data_given_on_resume_is_trained_on_with_the_saved_preprocessing()
    {
        string wine = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv");
        string half = _files.Write("half.csv", string.Join('\n', File.ReadAllLines(wine).Where((_, i) => i % 2 == 0)) + "\n");
        Assert.Equal(0, CliRunner.Run("train", "--recipe", "plain", "--data", wine, "--epochs", "2", "--batch-size", "8", "--save", PathOf("m.safetensors")).ExitCode);
        var (code, output, error) = CliRunner.Run("train", "--recipe", "plain", "--resume", PathOf("m.safetensors"), "--data", half, "--epochs", "3", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(89, json.RootElement.GetProperty("train").GetProperty("samples").GetInt32());
        Assert.Contains("of " + half, error);
        // The recipe given again with --resume (the first command line repeated) changes nothing, and says so.
        Assert.Contains("note: --recipe plain: a resumed run continues with the options of its file; the recipe is not applied", error);
        // Without --data, the file's data: all 178 rows.
        var (_, again, _) = CliRunner.Run("train", "--recipe", "plain", "--resume", PathOf("m.safetensors"), "--epochs", "3", "--json");
        using JsonDocument all = JsonDocument.Parse(again);
        Assert.Equal(178, all.RootElement.GetProperty("train").GetProperty("samples").GetInt32());
    }

    [Theory]
    [InlineData("--hidden", "32", "--hidden: expected 16 (fixed by the model being resumed")]
    [InlineData("--activation", "tanh", "--activation: expected relu (fixed by the model being resumed")]
    [InlineData("--optimizer", "adam", "--optimizer: expected sgd (fixed by the model being resumed")]
    [InlineData("--loss", "bce", "--loss: expected cross-entropy (fixed by the model being resumed")]
    [InlineData("--epochs", "2", "--epochs: expected at least the 3 epochs")]
    [InlineData("--task", "regression", "--task: expected classification (fixed by the model being resumed")]
    [InlineData("--members", "3", "--members: expected 1 (fixed by the model being resumed")]
    public void What_the_saved_model_fixes_cannot_change_on_resume(string flag, string value, string message)
    {
        string model = PathOf("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--epochs", "3", "--save", model).ExitCode);
        var (code, _, error) = CliRunner.Run("train", "--resume", model, flag, value);
        Assert.Equal(2, code);
        Assert.StartsWith("error: " + message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
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
    public void A_run_that_diverges_after_a_checkpoint_keeps_the_checkpoint_finite()
    {
        // Found by an attack: divergence with --checkpoint-every replaced the good checkpoint with an all-NaN model.
        string model = PathOf("ck.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--dataset", "wine", "--epochs", "40", "--lr", "0.1", "--momentum", "0.9", "--hidden", "32",
            "--checkpoint-every", "3", "--save", model);
        Assert.Equal(1, code);
        Assert.Contains("Training diverged", error);
        int epoch = int.Parse(error[(error.IndexOf("at epoch ", StringComparison.Ordinal) + 9)..].Split(',')[0], CultureInfo.InvariantCulture);
        Assert.True(epoch >= 3, $"diverged at epoch {epoch}: too early for the test");
        SafeTensorsDocument saved = SafeTensors.Load(model);
        int completed = int.Parse(saved.Metadata["training.epochs_completed"], CultureInfo.InvariantCulture);
        Assert.Equal(0, completed % 3);
        Assert.True(completed <= epoch);
        Assert.All(Parameters(model), p => Assert.True(float.IsFinite(p)));
        Assert.All(Parameters(PathOf("ck.best.safetensors")), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void A_run_that_diverges_in_its_first_epoch_leaves_the_existing_model_file_as_it_was()
    {
        // Found by an attack: --lr 1e6 with --checkpoint-every 1 over a good model left 275 of 275 parameters NaN.
        string model = PathOf("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "wine", "--epochs", "3", "--save", model).ExitCode);
        byte[] good = File.ReadAllBytes(model);
        var (code, _, error) = CliRunner.Run("train", "--dataset", "wine", "--lr", "1e6", "--checkpoint-every", "1", "--save", model);
        Assert.Equal(1, code);
        Assert.StartsWith("error: Training diverged", error);
        Assert.Equal(good, File.ReadAllBytes(model));
        Assert.False(File.Exists(PathOf("m.best.safetensors")));
        Assert.Equal(["m.safetensors"], Directory.GetFiles(Path.GetDirectoryName(model)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_run_stopped_with_ctrl_c_still_draws_its_plot()
    {
        string plot = PathOf("curves.png");
        var (code, _, error) = CliRunner.RunInterruptedAfter("Epoch 4 ", ["train", "--dataset", "wine", "--epochs", "500", "--validation", "0.2", "--plot", plot]);
        Assert.True(code == 130, error);
        Assert.Matches(@"Plot of epochs 0 to \d+ written to ", error);
        byte[] png = File.ReadAllBytes(plot);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Theory]
    [InlineData("curves.jpg", 2, "error: --plot: expected a file name ending in .png or .svg. Received: '")]
    [InlineData("no-such-folder/curves.png", 1, "error: Cannot save '")]
    public void A_plot_that_cannot_be_written_is_refused_before_training(string name, int exit, string message)
    {
        var (code, output, error) = CliRunner.Run("train", "--epochs", "5", "--plot", PathOf(name));
        Assert.Equal(exit, code);
        Assert.StartsWith(message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", output); // not one epoch trained
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
    public void A_separate_validation_file_is_encoded_with_the_training_preprocessing()
    {
        string iris = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "iris.csv");
        var (code, output, error) = CliRunner.Run("train", "--data", iris, "--validation-data", iris, "--epochs", "5", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
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
