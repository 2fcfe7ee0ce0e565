using Backprop.Data;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;
using Backprop.Layers;

namespace Backprop.Tests.Serialization;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Records the parameters after every epoch, to know what each checkpoint should hold.</summary>
    private sealed class Recorder : ITrainingCallback<float>
    {
        public List<float[]> Parameters { get; } = [];
        public List<string[]> FilesSeen { get; } = [];
        public string Folder { get; init; } = "";

        public void OnEpochEnd(TrainingContext<float> context, EpochRecord record)
        {
            Parameters.Add((float[])context.Model.Parameters.Clone());
            FilesSeen.Add(Directory.GetFiles(Folder).Select(Path.GetFileName).ToArray()!);
        }
    }

    [Fact]
    public void Writes_the_latest_every_n_epochs_and_at_the_end_and_the_best_when_it_improves()
    {
        Dataset<float> iris = EmbeddedDatasets.Iris<float>();
        Sequential<float> model = ModelFileTests.Mlp<float>(3, 4, 8, 3);
        var optimizer = new Sgd<float>(0.05f);
        var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), optimizer, new TrainerOptions(Epochs: 7, BatchSize: 16));
        string latest = Path.Combine(_folder, "latest.safetensors"), best = Path.Combine(_folder, "best.safetensors");
        // A score that makes epoch 2 the best, whatever the losses: the best file must then hold epoch 2's parameters.
        var checkpoint = new ModelCheckpoint<float>(latest, best, everyEpochs: 3, extras: context =>
        {
            var extras = new ModelFileExtras();
            ResumeState.AddOptimizer(extras, context.Optimizer);
            return extras;
        }, score: record => Math.Abs(record.Epoch - 2));
        var recorder = new Recorder { Folder = _folder };
        trainer.Callbacks.Add(checkpoint);
        trainer.Callbacks.Add(recorder);

        trainer.Fit(iris, new Rng(5));

        Assert.Equal(2, checkpoint.BestEpoch);
        SavedModel<float> bestModel = ModelFile.Load<float>(best);
        Assert.Equal(recorder.Parameters[2], bestModel.Model.Parameters);
        Assert.Equal("3", bestModel.Metadata[ModelCheckpoint<float>.EpochsCompletedKey]);
        Assert.Equal(recorder.Parameters[2], checkpoint.BestParameters);
        // Latest: first written after epoch index 2 (3 epochs), again after 6, and at the end (7 epochs).
        Assert.DoesNotContain("latest.safetensors", recorder.FilesSeen[1]);
        Assert.Contains("latest.safetensors", recorder.FilesSeen[2]);
        SavedModel<float> latestModel = ModelFile.Load<float>(latest);
        Assert.Equal(model.Parameters, latestModel.Model.Parameters);
        Assert.Equal("7", latestModel.Metadata[ModelCheckpoint<float>.EpochsCompletedKey]);
        Assert.Equal(optimizer.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture), latestModel.Metadata["optimizer.step_count"]);
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public void SaveBest_writes_the_best_parameters_and_leaves_the_model_as_it_was()
    {
        Sequential<float> model = ModelFileTests.Mlp<float>(3, 4, 8, 3);
        var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.05f), new TrainerOptions(Epochs: 4, BatchSize: 16));
        var checkpoint = new ModelCheckpoint<float>(null, null, score: record => record.Epoch == 1 ? 0 : 1);
        Assert.False(checkpoint.SaveBest(Path.Combine(_folder, "none.safetensors"), model));
        var recorder = new Recorder { Folder = _folder };
        trainer.Callbacks.Add(checkpoint);
        trainer.Callbacks.Add(recorder);
        trainer.Fit(EmbeddedDatasets.Iris<float>(), new Rng(5));
        float[] final = (float[])model.Parameters.Clone();

        string path = Path.Combine(_folder, "interrupted.safetensors");
        Assert.True(checkpoint.SaveBest(path, model));

        Assert.Equal(final, model.Parameters);
        SavedModel<float> saved = ModelFile.Load<float>(path);
        Assert.Equal(recorder.Parameters[1], saved.Model.Parameters);
        Assert.Equal("2", saved.Metadata[ModelCheckpoint<float>.EpochsCompletedKey]);
        Assert.Single(Directory.GetFiles(_folder));
    }
}
