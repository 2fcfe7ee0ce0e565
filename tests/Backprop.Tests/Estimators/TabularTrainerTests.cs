using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tests.Cli;
using Backprop.Training;

namespace Backprop.Tests.Estimators;

/// <summary>The one training pipeline: the same options give the same file from the command line and from code; resuming continues exactly.</summary>
public sealed class TabularTrainerTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    private static readonly string Wine = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv");

    /// <summary>Ends a run after the given epoch, as a finished run (not an interruption): the run saves where it stands.</summary>
    private sealed class StopAfter(int epoch) : ITrainingCallback<double>
    {
        public void OnEpochEnd(TrainingContext<double> context, EpochRecord record)
        {
            if (record.Epoch == epoch) context.StopRequested = true;
        }
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("regression")]
    public void The_command_line_and_the_library_write_byte_identical_model_files(string task)
    {
        string[] flags = task == "classification"
            ? ["--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--epochs", "6", "--validation", "0.2", "--seed", "3", "--early-stopping", "3",
               "--schedule", "cosine:1", "--hidden", "12,6", "--dropout", "0.1", "--class-weight", "balanced"]
            : ["--target", "alcohol", "--task", "regression", "--loss", "huber", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.01", "--epochs", "5",
               "--batch-size", "8", "--validation", "0.25", "--categorical", "magnesium", "--missing", "median"];
        var (code, _, error) = CliRunner.Run(["train", "--data", Wine, "--save", PathOf("cli.safetensors"), .. flags]);
        Assert.True(code == 0, error);

        // A CSV file on the command line starts from the library's defaults (the quick recipe), as a new options record does.
        TabularTrainingOptions options = new() { Data = Wine, SavePath = PathOf("library.safetensors") };
        options = task == "classification"
            ? options with
            {
                Optimizer = OptimizerKind.Adam, LearningRate = 0.01, BatchSize = 16, Epochs = 6, ValidationFraction = 0.2, Seed = 3, EarlyStopping = 3,
                Schedule = new CosineSchedule(1), HiddenLayers = [12, 6], Dropout = 0.1, BalancedClassWeights = true,
            }
            : options with
            {
                Target = "alcohol", Task = TaskKind.Regression, Loss = LossKind.Huber, Optimizer = OptimizerKind.Sgd, Momentum = 0.9,
                LearningRate = 0.01, Epochs = 5, BatchSize = 8, ValidationFraction = 0.25, Categorical = ["magnesium"], Missing = MissingValueStrategy.Median,
            };
        new TabularTrainer<float>(options).Fit();

        Assert.Equal(File.ReadAllBytes(PathOf("cli.safetensors")), File.ReadAllBytes(PathOf("library.safetensors")));
    }

    [Fact]
    public void A_cosine_run_stopped_after_20_of_50_epochs_and_resumed_ends_bit_identical_to_50_in_one_go()
    {
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with
        {
            Dataset = "wine", Initialization = Initialization.PyTorch, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, BatchSize = 16,
            Epochs = 50, ValidationFraction = 0.2, Schedule = new CosineSchedule(5), Dropout = 0.1,
        };
        TabularTrainingResult<double> whole = new TabularTrainer<double>(options).Fit();

        var first = new TabularTrainer<double>(options with { SavePath = PathOf("part.safetensors") });
        first.Callbacks.Add(new StopAfter(19));
        Assert.Equal(20, first.Fit().History.Count);
        TabularTrainer<double> second = TabularTrainer<double>.Resume(PathOf("part.safetensors"));
        Assert.Equal(20, second.InitialEpoch);
        TabularTrainingResult<double> resumed = second.Fit();

        Assert.Equal(whole.History.Skip(20).Select(r => (r.Epoch, r.Loss, r.ValidationLoss, r.LearningRate)),
            resumed.History.Select(r => (r.Epoch, r.Loss, r.ValidationLoss, r.LearningRate)));
        Assert.Equal(whole.Model.Network.Parameters, resumed.Model.Network.Parameters);
        // The file of the resumed run is the file of the run in one go, history included.
        Assert.Equal(whole.ToBytes(), resumed.ToBytes());
    }

    [Fact]
    public void A_new_learning_rate_on_resume_is_the_base_rate_of_every_resumed_epoch()
    {
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with { Dataset = "wine", BatchSize = 16, Epochs = 10, Schedule = new CosineSchedule(), SavePath = PathOf("m.safetensors") };
        new TabularTrainer<double>(options).Fit();

        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("m.safetensors"), saved => saved with { LearningRate = 0.5, Epochs = 16 }).Fit();
        Assert.Equal(Enumerable.Range(10, 6).Select(e => new CosineSchedule().LearningRateAt(e, 16, 0.5)), resumed.History.Select(r => r.LearningRate!.Value),
            (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(0.5, resumed.Options.LearningRate);
    }

    [Fact]
    public void A_new_schedule_on_resume_applies_from_the_resumed_epoch()
    {
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with { Dataset = "wine", BatchSize = 16, Epochs = 4, SavePath = PathOf("m.safetensors") };
        new TabularTrainer<double>(options).Fit();
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("m.safetensors"),
            saved => saved with { Schedule = new StepSchedule(2, 0.5), Epochs = 8 }).Fit();
        Assert.Equal([0.0025, 0.0025, 0.00125, 0.00125], resumed.History.Select(r => r.LearningRate!.Value), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Early_stopping_waits_the_longer_of_its_epochs_and_its_steps_also_when_resumed()
    {
        // Wine's 124 or so training rows in batches of 8 are 15 or 16 steps an epoch: 3 epochs are under 50 steps, 100 steps are 7 epochs.
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with
        {
            Dataset = null, Data = Wine, Initialization = Initialization.PyTorch, Optimizer = OptimizerKind.Adam, LearningRate = 0.05, BatchSize = 8,
            Epochs = 200, ValidationFraction = 0.3, EarlyStopping = 3, EarlyStoppingSteps = 100, SavePath = PathOf("m.safetensors"),
        };
        List<TrainingNote> notes = [];
        TabularTrainingResult<double> run = new TabularTrainer<double>(options) { Notes = notes.Add }.Fit();
        Assert.NotNull(run.StoppedEpoch);
        Assert.Equal(run.BestEpoch + 7, run.StoppedEpoch);
        Assert.Contains(notes, n => n.Text.Contains("; early stopping after 7 epochs (at least 100 steps) without improvement, the best epoch kept", StringComparison.Ordinal));

        // The file keeps the steps: resumed from its best epoch, the run waits as long and stops at the same epoch.
        TabularTrainingResult<double> again = TabularTrainer<double>.Resume(PathOf("m.safetensors"), o => o with { SavePath = PathOf("again.safetensors") }).Fit();
        Assert.Equal(run.StoppedEpoch, again.StoppedEpoch);
        Assert.Equal(File.ReadAllBytes(PathOf("m.safetensors")), File.ReadAllBytes(PathOf("again.safetensors")));

        // Without the steps the same run stops 3 epochs after its best.
        TabularTrainingResult<double> epochsAlone = new TabularTrainer<double>(options with { EarlyStoppingSteps = 0, SavePath = null }).Fit();
        Assert.Equal(epochsAlone.BestEpoch + 3, epochsAlone.StoppedEpoch);
    }

    [Fact]
    public void An_early_stopped_run_is_saved_at_its_best_epoch_and_resuming_it_changes_nothing()
    {
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with
        {
            Dataset = "wine", Initialization = Initialization.PyTorch, Optimizer = OptimizerKind.Adam, LearningRate = 0.05, BatchSize = 8,
            Epochs = 60, ValidationFraction = 0.3, EarlyStopping = 3, EarlyStoppingSteps = 0, SavePath = PathOf("m.safetensors"),
        };
        TabularTrainingResult<double> run = new TabularTrainer<double>(options).Fit();
        Assert.NotNull(run.StoppedEpoch);
        Assert.Equal(run.BestEpoch + 1, run.EpochsCompleted);
        Assert.Equal(run.BestEpoch + 3, run.StoppedEpoch);
        byte[] saved = File.ReadAllBytes(PathOf("m.safetensors"));
        Assert.Equal((run.BestEpoch + 1).ToString(), SafeTensors.Load(PathOf("m.safetensors")).Metadata["training.epochs_completed"]);

        // From the best epoch the run trains the same epochs again, stops at the same one and keeps the same model: the same file.
        TabularTrainingResult<double> again = TabularTrainer<double>.Resume(PathOf("m.safetensors"), o => o with { SavePath = PathOf("again.safetensors") }).Fit();
        Assert.Equal(run.History.Skip(run.EpochsCompleted).Select(r => r.Loss), again.History.Select(r => r.Loss));
        Assert.Equal(saved, File.ReadAllBytes(PathOf("again.safetensors")));
    }

    [Fact]
    public void The_data_a_resumed_run_trains_on_is_the_file_s_or_the_one_given()
    {
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with { Data = Wine, Dataset = null, Epochs = 2, BatchSize = 16, SavePath = PathOf("m.safetensors") };
        new TabularTrainer<float>(options).Fit();
        Assert.Equal(178, TabularTrainer<float>.Resume(PathOf("m.safetensors"), o => o with { Epochs = 3 }).Fit().TrainingData.Count);
        Table some = Table.Read(_files.Write("some.csv", string.Join('\n', File.ReadLines(Wine).Take(61)) + "\n"));
        TabularTrainingResult<float> onSome = TabularTrainer<float>.Resume(PathOf("m.safetensors"), o => o with { Epochs = 3 }).Fit(some);
        Assert.Equal(60, onSome.TrainingData.Count);
        Assert.Equal(Wine, onSome.Options.Data); // a table given to Fit is not a path: the options keep the file's
    }

    [Fact]
    public void What_a_run_decided_is_told_before_training_and_recorded_as_options()
    {
        string pets = _files.Write("pets.csv", "id,weight,kind\n" + string.Concat(Enumerable.Range(0, 30).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"p{i},{(i % 5 == 0 ? "NA" : (i % 2 * 10 + i % 3).ToString(CultureInfo.InvariantCulture))},{(i % 2 == 0 ? "cat" : "dog")}\n"))));
        var notes = new List<TrainingNote>();
        var trainer = new TabularTrainer<float>(new TabularTrainingOptions { Data = pets, Epochs = 3 }) { Notes = notes.Add };
        TabularTrainingResult<float> run = trainer.Fit();
        Assert.Contains(notes, n => n.Text.StartsWith("read 30 rows × 3 columns of", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Text.StartsWith("dropped column 'id': identifier-like", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Text.StartsWith("imputed ", StringComparison.Ordinal));
        // Every automatic choice is made in the options the file records.
        Assert.Equal((TaskKind.Classification, LossKind.CrossEntropy, Initialization.PyTorch),
            (run.Options.Task, run.Options.Loss, run.Options.Initialization));
    }

    /// <summary>Runs an action at the end of every epoch, after the trainer's own callbacks (so after its checkpoint writes).</summary>
    private sealed class AtEpochEnd(Action<EpochRecord> action) : ITrainingCallback<double>
    {
        public void OnEpochEnd(TrainingContext<double> context, EpochRecord record) => action(record);
    }

    [Fact]
    public void A_checkpoint_holds_every_epoch_it_has_completed_and_resumes_to_the_run_in_one_go()
    {
        string path = PathOf("m.safetensors");
        TabularTrainingOptions options = TabularTrainingOptions.Notebook with
        {
            Dataset = "wine", BatchSize = 16, Epochs = 7, ValidationFraction = 0.2, CheckpointEvery = 3, SavePath = path,
        };
        var trainer = new TabularTrainer<double>(options);
        int checks = 0;
        trainer.Callbacks.Add(new AtEpochEnd(record =>
        {
            if ((record.Epoch + 1) % 3 != 0) return;
            IReadOnlyDictionary<string, string> metadata = SafeTensors.Load(path).Metadata;
            Assert.Equal((record.Epoch + 1).ToString(CultureInfo.InvariantCulture), metadata["training.epochs_completed"]);
            Assert.Equal(record.Epoch + 1, TrainingEntries.ParseHistory(metadata["history"]).Count);
            Assert.True(File.Exists(PathOf("m.best.safetensors")));
            if (record.Epoch == 2) File.Copy(path, PathOf("at3.safetensors"));
            checks++;
        }));
        TabularTrainingResult<double> whole = trainer.Fit();
        Assert.Equal(2, checks);
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("at3.safetensors"), o => o with { SavePath = null }).Fit();
        Assert.Equal(whole.ToBytes(), resumed.ToBytes());
    }

    [Fact]
    public void An_option_that_does_not_fit_the_data_is_an_option_error()
    {
        var trainer = new TabularTrainer<float>(TabularTrainingOptions.Notebook with { Loss = LossKind.MeanSquaredError, Epochs = 1 });
        OptionException error = Assert.Throws<OptionException>(() => trainer.Fit());
        Assert.Equal("Loss: expected cross-entropy or bce for the class target 'species'. Received: mse.", error.Message);
    }

    [Fact]
    public void Canceled_before_an_epoch_completes_nothing_is_written()
    {
        string path = PathOf("m.safetensors");
        File.WriteAllText(path, "previous");
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        var trainer = new TabularTrainer<float>(TabularTrainingOptions.Notebook with { SavePath = path });
        TrainingCanceledException error = Assert.Throws<TrainingCanceledException>(() => trainer.Fit(canceled.Token));
        Assert.Null(error.SavedPath);
        Assert.Equal("previous", File.ReadAllText(path));
    }
}
