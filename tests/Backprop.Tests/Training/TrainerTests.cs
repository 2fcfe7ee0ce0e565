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

    private sealed class AllocationRecorder : ITrainingCallback<double>
    {
        public List<long> AtEpochEnd { get; } = [];
        public void OnEpochEnd(TrainingContext<double> context, EpochRecord record) => AtEpochEnd.Add(GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void The_evaluation_after_every_epoch_reuses_its_buffers()
    {
        // 4,096 training and 2,048 validation rows of 3 outputs: a new output matrix per epoch would be 98 KB (and the
        // validation's 49 KB), a new workspace for the forward passes 70 KB more. The steps allocate nothing.
        static Dataset<double> Rows(int count, ulong seed)
        {
            var rng = new Rng(seed);
            var features = new Matrix<double>(count, 4);
            var targets = new Matrix<double>(count, 1);
            for (int i = 0; i < count; i++)
            {
                for (int f = 0; f < 4; f++) features.Data[i * 4 + f] = rng.NextNormal();
                targets.Data[i] = features.Data[i * 4] > 0.5 ? 2 : features.Data[i * 4 + 1] > 0 ? 1 : 0;
            }
            return new Dataset<double>(features, targets);
        }
        var model = new Sequential<double>(4, new Dense<double>(4, 16), new Relu<double>(), new Dense<double>(16, 3));
        model.ResetParameters(new Rng(2));
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Adam<double>(), new TrainerOptions(Epochs: 6, BatchSize: 256))
        {
            // A metric that allocates nothing of its own, so that the training rows are predicted too (the metric's) and the
            // validation rows (the loss's): two kept output matrices.
            Metric = new EpochMetric<double>("first output", (outputs, _) => outputs.Data[0]),
        };
        var recorder = new AllocationRecorder();
        trainer.Callbacks.Add(recorder);
        var history = trainer.Fit(Rows(4096, 1), new Rng(3), Rows(2048, 4));

        Assert.All(history, record => Assert.NotNull(record.ValidationLoss));
        long perEpoch = (recorder.AtEpochEnd[5] - recorder.AtEpochEnd[2]) / 3;
        Assert.True(perEpoch < 8_192, $"{perEpoch:N0} bytes allocated per epoch");

        // The buffers belong to one Fit: the next, on other rows, predicts its own (its last epoch's validation loss is the
        // model's on those rows).
        Dataset<double> validation = Rows(300, 5);
        var next = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Adam<double>(), new TrainerOptions(Epochs: 1, BatchSize: 64));
        double lastLoss = next.Fit(Rows(500, 6), new Rng(7), validation)[^1].ValidationLoss!.Value;
        Assert.Equal(new SoftmaxCrossEntropy<double>().Forward(model.Predict(validation.Features).Data, validation.Targets.Data, [], 300), lastLoss);
        double againLoss = trainer.Fit(Rows(500, 6), new Rng(7), validation)[^1].ValidationLoss!.Value;
        Assert.Equal(new SoftmaxCrossEntropy<double>().Forward(model.Predict(validation.Features).Data, validation.Targets.Data, [], 300), againLoss);
    }
}
