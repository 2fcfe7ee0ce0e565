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

    [Fact]
    public void A_cross_fitted_evaluation_predicted_member_by_member_gives_the_same_epochs()
    {
        // Three members, each holding out every third row; the validation loss reads each row from its member alone. Predicting
        // only those members' outputs (Trainer.OutOfFold) must give the same losses and the same weights, to the bit.
        const int rows = 900, members = 3;
        var rng = new Rng(12);
        var features = new Matrix<float>(rows, 4);
        var targets = new Matrix<float>(rows, 1 + members);
        int[] fold = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < 4; f++) features[r, f] = (float)rng.NextNormal();
            targets[r, 0] = features[r, 0] > 0.5f ? 2 : features[r, 1] > 0 ? 1 : 0;
            fold[r] = r % members;
            for (int m = 0; m < members; m++) targets[r, 1 + m] = fold[r] == m ? 0 : 1;
        }
        var data = new Dataset<float>(features, targets);
        int[][] rowsOfMember = Enumerable.Range(0, members).Select(m => Enumerable.Range(0, rows).Where(r => fold[r] == m).ToArray()).ToArray();

        (IReadOnlyList<EpochRecord> History, float[] Weights) Train((Matrix<float>, int[][])? outOfFold)
        {
            Sequential<float> model = Mlp.Create<float>(4, [8], 3, members: members);
            model.ResetParameters(new Rng(5));
            var loss = new EnsembleLoss<float>(new SoftmaxCrossEntropy<float>(), members, 3, MemberAverage.SoftmaxProbabilities, folded: true);
            var trainer = new Trainer<float>(model, loss, new Adam<float>(), new TrainerOptions(Epochs: 4, BatchSize: 32)) { OutOfFold = outOfFold };
            return (trainer.Fit(data, new Rng(6), data), model.Parameters.ToArray());
        }

        var whole = Train(null);
        var byMember = Train((features, rowsOfMember));
        Assert.Equal(whole.History.Select(e => e.ValidationLoss), byMember.History.Select(e => e.ValidationLoss));
        Assert.Equal(whole.Weights, byMember.Weights);
        // The hook is what the trainer predicts with: rows given to the wrong member change the losses.
        var wrong = Train((features, [Enumerable.Range(0, rows).ToArray(), [], []]));
        Assert.NotEqual(whole.History[0].ValidationLoss, wrong.History[0].ValidationLoss);
    }
}
