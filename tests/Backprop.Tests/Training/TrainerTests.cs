using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class TrainerTests
{
    private sealed class Recorder : ITrainingCallback<double>
    {
        public List<string> Events { get; } = [];
        public int StopAfter { get; init; } = int.MaxValue;
        public void OnTrainBegin(TrainingContext<double> context) => Events.Add("begin");
        public void OnBatchEnd(TrainingContext<double> context, int batch, double loss) => Events.Add($"batch {context.Epoch}.{batch}");
        public void OnEpochEnd(TrainingContext<double> context, EpochRecord record)
        {
            Events.Add($"epoch {record.Epoch}");
            if (record.Epoch + 1 >= StopAfter) context.StopRequested = true;
        }
        public void OnTrainEnd(TrainingContext<double> context) => Events.Add("end");
    }

    private static Dataset<double> Tiny()
    {
        var features = new Matrix<double>([0, 1, 1, 0, 1, 1, 0, 0, 2, 2], 5, 2);
        var targets = new Matrix<double>([1, 1, 0, 0, 0], 5, 1);
        return new Dataset<double>(features, targets);
    }

    [Fact]
    public void Callbacks_see_every_batch_and_epoch_and_can_stop_the_run()
    {
        var model = new Sequential<double>(2, new Dense<double>(2, 2));
        var recorder = new Recorder { StopAfter = 2 };
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainerOptions(Epochs: 10, BatchSize: 2));
        trainer.Callbacks.Add(recorder);
        var history = trainer.Fit(Tiny(), new Rng(0));
        Assert.Equal(2, history.Count);
        Assert.Equal(["begin", "batch 0.0", "batch 0.1", "batch 0.2", "epoch 0", "batch 1.0", "batch 1.1", "batch 1.2", "epoch 1", "end"], recorder.Events);
    }

    [Fact]
    public void Epoch_loss_is_the_sample_weighted_mean_of_the_batch_losses()
    {
        // With a zero learning rate nothing changes, so the epoch loss must equal the loss of the whole set at once.
        var model = new Sequential<double>(2, new Dense<double>(2, 2));
        model.ResetParameters(new Rng(4));
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0), new TrainerOptions(Epochs: 1, BatchSize: 2));
        double epochLoss = trainer.Fit(Tiny(), new Rng(0))[0].Loss;
        var data = Tiny();
        double whole = new SoftmaxCrossEntropy<double>().Forward(model.Predict(data.Features).Data, data.Targets.Data, [], 5);
        Assert.Equal(whole, epochLoss, 1e-12);
    }

    [Fact]
    public void Rejects_data_with_the_wrong_feature_count()
    {
        var model = new Sequential<double>(3, new Dense<double>(3, 2));
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1));
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(Tiny(), new Rng(0)));
        Assert.Contains("Expected 3 features per sample. Received: 2.", error.Message);
    }

    [Fact]
    public void One_sgd_step_moves_parameters_against_the_gradient()
    {
        var model = new Sequential<double>(2, new Dense<double>(2, 2));
        model.ResetParameters(new Rng(1));
        double[] before = (double[])model.Parameters.Clone();
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.5), new TrainerOptions(Epochs: 1, BatchSize: 5, Shuffle: false));
        trainer.Fit(Tiny(), new Rng(0));
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - 0.5 * model.Gradients[i], model.Parameters[i], 1e-15);
        }
    }
}
