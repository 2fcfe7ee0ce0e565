using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Estimators;

/// <summary>
/// The tabular recipe end to end: what it builds, that a run resumed mid-way (mid-schedule, per-layer rates, the best epoch
/// kept) ends as the run in one go, that the thread count changes nothing, and that ONNX Runtime computes what Backprop does
/// with robust scaling and the feature scale inside the graph.
/// </summary>
public sealed class TabularRecipeTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    // Small enough for a unit test: the recipe's every ingredient, with narrower layers and fewer epochs.
    private static TabularTrainingOptions Light => TabularTrainingOptions.Tabular with { Dataset = "wine", HiddenLayers = [32, 32], Epochs = 12, BatchSize = 32 };

    [Fact]
    public void It_builds_every_ingredient_and_records_each_choice()
    {
        var notes = new List<string>();
        var trainer = new TabularTrainer<float>(Light with { Dataset = null, Data = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv") })
        {
            Notes = note => notes.Add(note.Text),
        };
        TabularTrainingResult<float> result = trainer.Fit();
        Sequential<float> network = result.Model.Network;
        Assert.IsType<FeatureScale<float>>(network.Layers[0]);
        Assert.IsType<Selu<float>>(network.Layers[2]);
        Assert.Equal(Initialization.Zeros, ((Dense<float>)network.Layers[^1]).Initialization);
        Assert.Equal(NumericScaling.Robust, result.Model.Preprocessor.State.Scaling);
        // Automatic choices resolved, as the file records them.
        Assert.Equal(Activation.Selu, result.Options.Activation);
        Assert.Equal(0.1, result.Options.LabelSmoothing);
        Assert.Equal(Initialization.Ntk, result.Options.Initialization);
        Assert.Contains(notes, n => n.StartsWith("network 13 inputs → feature scale → 2 × 32 selu → 3 outputs (ntk parametrization, zero output layer); adam (β₂ 0.95) at 0.04 on coslog", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith($"kept epoch {result.BestEpoch} of 12: its validation loss", StringComparison.Ordinal));
        Assert.True(result.History[result.BestEpoch!.Value].ValidationLoss <= result.History.Min(r => r.ValidationLoss));
    }

    [Fact]
    public void A_regression_gets_mish_and_no_label_smoothing()
    {
        TabularTrainingResult<float> result = new TabularTrainer<float>(Light with { Target = "alcohol", Epochs = 2 }).Fit();
        Assert.Equal(Activation.Mish, result.Options.Activation);
        Assert.Equal(0, result.Options.LabelSmoothing);
        Assert.IsType<Mish<float>>(result.Model.Network.Layers[2]);
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_mid_schedule_ends_byte_identical_to_the_run_in_one_go()
    {
        TabularTrainingResult<double> whole = new TabularTrainer<double>(Light).Fit();

        // The checkpoint after epoch 4 (the current state, not the best so far), mid-way through the coslog schedule.
        var first = new TabularTrainer<double>(Light with { SavePath = PathOf("run.safetensors"), CheckpointEvery = 5 });
        first.Callbacks.Add(new CopyAfter(4, PathOf("run.safetensors"), PathOf("at5.safetensors")));
        first.Fit();
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("at5.safetensors"), o => o with { SavePath = null, CheckpointEvery = null }).Fit();

        Assert.Equal(5, resumed.InitialEpoch);
        Assert.Equal(whole.History.Skip(5).Select(r => (r.Epoch, r.Loss, r.ValidationLoss, r.LearningRate)),
            resumed.History.Select(r => (r.Epoch, r.Loss, r.ValidationLoss, r.LearningRate)));
        Assert.Equal(whole.BestEpoch, resumed.BestEpoch);
        Assert.Equal(whole.Model.Network.Parameters, resumed.Model.Network.Parameters);
    }

    // Copies the checkpoint written at the end of an epoch (the recorder writes it before the caller's callbacks run).
    private sealed class CopyAfter(int epoch, string from, string to) : ITrainingCallback<double>
    {
        public void OnEpochEnd(TrainingContext<double> context, EpochRecord record)
        {
            if (record.Epoch == epoch) File.Copy(from, to, overwrite: true);
        }
    }

    [Fact]
    public void The_thread_count_changes_no_bit()
    {
        byte[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                return new TabularTrainer<float>(Light with { HiddenLayers = [256], Epochs = 3 }).Fit().ToBytes();
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void A_file_written_before_the_recipe_resumes_with_none_of_its_ingredients()
    {
        // Version 1 of the training entry has none of the recipe's options: they are off, whatever today's defaults are.
        (TabularTrainingOptions options, _) = TrainingEntries.ParseOptions("""{"version":1,"dataset":"wine","epochs":3,"hidden":[8],"activation":"relu","label_smoothing":0}""", "old.safetensors");
        Assert.Equal(NumericScaling.Standard, options.Scaling);
        Assert.False(options.FeatureScale);
        Assert.Equal(Parametrization.Standard, options.Parametrization);
        Assert.False(options.ZeroOutputLayer);
        Assert.Equal(0.999, options.Beta2);
        Assert.False(options.RestoreBest);
    }

    [Fact]
    public void Ntk_is_refused_with_sgd_and_with_a_drawn_initialization()
    {
        Assert.Equal("Parametrization", Assert.Throws<OptionException>(() => (TabularTrainingOptions.Tabular with { Optimizer = OptimizerKind.Sgd }).Validate()).Option);
        Assert.Equal("Initialization", Assert.Throws<OptionException>(() => (TabularTrainingOptions.Tabular with { Initialization = Initialization.HeNormal }).Validate()).Option);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnnxRuntime_computes_what_Backprop_does_with_robust_scaling_and_a_feature_scale(bool classifier)
    {
        // Numeric columns with an outlier (smoothly clipped), a categorical one and missing cells, all inside the graph.
        var table = new OnnxParity(PathOf("t.csv"), rows: 120, messy: true, threeClasses: false);
        TabularTrainingOptions options = TabularTrainingOptions.Tabular with
        {
            Data = table.Path, HiddenLayers = [16], Epochs = 4, BatchSize = 16,
            Target = classifier ? "label" : "amount", Drop = [classifier ? "amount" : "label"],
        };
        double worst = table.WorstDifference(new TabularTrainer<float>(options).Fit().Model);
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
    }
}
