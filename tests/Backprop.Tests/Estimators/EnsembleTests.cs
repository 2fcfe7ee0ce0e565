using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Models;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Estimators;

/// <summary>
/// Ensembles (<see cref="TabularTrainingOptions.Members"/>) end to end: what a run builds and predicts, that the file keeps it,
/// that a resumed run ends as the run in one go, that the thread count changes nothing, and that ONNX Runtime averages the members
/// inside the graph as Backprop does.
/// </summary>
public sealed class EnsembleTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    // Uncalibrated: the probabilities and losses checked by hand are the members' own (calibration has tests of its own).
    private static TabularTrainingOptions Wine => new() { Dataset = "wine", HiddenLayers = [16], PiecewiseLinearBins = 0, Epochs = 6, Members = 3, Calibrate = false };

    [Fact]
    public void Its_prediction_is_the_mean_of_the_members_probabilities_and_the_file_keeps_it()
    {
        var notes = new List<string>();
        var trainer = new TabularTrainer<double>(Wine with { Dataset = null, Data = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv") })
        {
            Notes = note => notes.Add(note.Text),
        };
        TabularTrainingResult<double> result = trainer.Fit();
        TabularModel<double> model = result.Model;
        Assert.Equal(3, model.Members);
        Assert.Equal(9, model.Network.OutputFeatures);
        Assert.Contains(notes, n => n.StartsWith("network 13 inputs → 16 relu → 3 outputs, 3 members averaged (standard parametrization)", StringComparison.Ordinal));

        // By hand: each member's softmax from its slice of the network's outputs, averaged.
        Matrix<double> features = new TabularPreprocessor(model.Preprocessor.State).TransformFeatures<double>(
            Table.Read(Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv"), model.Preprocessor.ReadOptions()));
        Matrix<double> raw = model.Network.Predict(features), probabilities = model.PredictProbabilities(features);
        for (int r = 0; r < features.Rows; r += 17)
        {
            for (int c = 0; c < 3; c++)
            {
                double mean = Enumerable.Range(0, 3).Average(m =>
                {
                    double[] z = [raw[r, 3 * m], raw[r, 3 * m + 1], raw[r, 3 * m + 2]];
                    return Math.Exp(z[c]) / z.Sum(Math.Exp);
                });
                Assert.Equal(mean, probabilities[r, c], 1e-12);
            }
        }
        // The members differ (their own initial weights), so the ensemble is not one network three times.
        Assert.NotEqual(raw[0, 0], raw[0, 3]);

        result.Save(PathOf("e.safetensors"));
        TabularModel<double> loaded = TabularModel<double>.Load(PathOf("e.safetensors"));
        Assert.Equal(3, loaded.Members);
        Assert.Equal(probabilities.Data, loaded.PredictProbabilities(features).Data);
    }

    [Fact]
    public void A_regression_averages_the_members_values()
    {
        TabularTrainingResult<float> result = new TabularTrainer<float>(Wine with { Target = "alcohol", Members = 4 }).Fit();
        TabularModel<float> model = result.Model;
        var features = new Matrix<float>(1, model.Network.InputFeatures);
        float[] raw = model.Network.Predict(features).Data;
        double expected = model.TargetScaling.Unscale(raw.Average(v => (double)v));
        Assert.Equal(expected, model.PredictValues(features)[0], 1e-4);
    }

    [Fact]
    public void Validation_loss_and_accuracy_score_the_ensemble()
    {
        TabularTrainingResult<double> result = new TabularTrainer<double>(Wine with { ValidationFraction = 0.3, Epochs = 3 }).Fit();
        // The last epoch's validation loss is the log loss of the averaged probabilities on the held-out rows (the model kept
        // is the last epoch's: no early stopping), not the members' mean loss.
        Dataset<double> held = result.ValidationData!;
        int[] labels = Enumerable.Range(0, held.Count).Select(r => (int)held.Targets[r, 0]).ToArray();
        double ensemble = Backprop.Metrics.Classification.LogLoss<double>(labels, result.Model.PredictProbabilities(held.Features));
        Assert.Equal(ensemble, result.History[^1].ValidationLoss!.Value, 1e-9);
        double accuracy = Backprop.Metrics.Classification.Accuracy(labels, Backprop.Metrics.Classification.Predict(result.Model.PredictProbabilities(held.Features)));
        Assert.Equal(accuracy, result.History[^1].ValidationMetric!.Value, 1e-12);
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_ends_byte_identical_to_the_run_in_one_go()
    {
        TabularTrainingOptions options = Wine with { Epochs = 8, ValidationFraction = 0.2, BatchSize = 16, Optimizer = OptimizerKind.Adam, LearningRate = 0.01 };
        TabularTrainingResult<double> whole = new TabularTrainer<double>(options).Fit();
        var first = new TabularTrainer<double>(options with { SavePath = PathOf("run.safetensors"), CheckpointEvery = 3 });
        first.Fit();
        File.Copy(PathOf("run.safetensors"), PathOf("end.safetensors"));
        // The last checkpoint before the end is epoch 6's; resume the file the run wrote at its end with more epochs instead,
        // and compare with a run of that length in one go.
        TabularTrainingResult<double> longer = new TabularTrainer<double>(options with { Epochs = 11 }).Fit();
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("end.safetensors"), o => o with { Epochs = 11, SavePath = null, CheckpointEvery = null }).Fit();
        Assert.Equal(8, resumed.InitialEpoch);
        Assert.Equal(longer.Model.Network.Parameters, resumed.Model.Network.Parameters);
        Assert.Equal(whole.Model.Network.Parameters, TabularModel<double>.Load(PathOf("end.safetensors")).Network.Parameters);
        // What the network fixes cannot change on resume.
        var error = Assert.Throws<OptionException>(() => TabularTrainer<double>.Resume(PathOf("end.safetensors"), o => o with { Members = 2 }));
        Assert.Equal("Members", error.Option);
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
                return new TabularTrainer<float>(Wine with { HiddenLayers = [128, 32], Epochs = 2, BatchSize = 64, Optimizer = OptimizerKind.Adam, LearningRate = 0.001 }).Fit().ToBytes();
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void A_file_written_before_ensembles_holds_one_network()
    {
        (TabularTrainingOptions options, _) = TrainingEntries.ParseOptions("""{"version":2,"dataset":"wine","epochs":3,"hidden":[8]}""", "old.safetensors");
        Assert.Equal(1, options.Members);
        Assert.Equal("Members", Assert.Throws<OptionException>(() => (Wine with { Members = 0 }).Validate()).Option);
        Assert.Equal("Members", Assert.Throws<OptionException>(() => (Wine with { Members = TabularTrainingOptions.MaxMembers + 1 }).Validate()).Option);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnnxRuntime_averages_the_members_inside_the_graph_as_Backprop_does(bool classifier)
    {
        var table = new OnnxParity(PathOf("t.csv"), rows: 90, messy: false, threeClasses: true);
        TabularTrainingOptions options = new()
        {
            Data = table.Path, HiddenLayers = [12, 6], Epochs = 5, Members = 4, ValidationFraction = 0, EarlyStopping = null,
            Target = classifier ? "label" : "amount", Drop = [classifier ? "amount" : "label"],
        };
        double worst = table.WorstDifference(new TabularTrainer<float>(options).Fit().Model);
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
    }
}
