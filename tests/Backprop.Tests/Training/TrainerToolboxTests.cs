using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class TrainerToolboxTests
{
    private static (Dataset<double> Train, Dataset<double> Validation) Iris(ulong seed)
    {
        Dataset<double> raw = EmbeddedDatasets.Iris<double>();
        Dataset<double> data = raw.WithFeatures(StandardScaler<double>.Fit(raw.Features).Transform(raw.Features));
        return DataSplit.Stratified(data, 0.3, new Rng(seed));
    }

    private static Sequential<double> Mlp(int seed)
    {
        var model = new Sequential<double>(4, new Dense<double>(4, 8), new Tanh<double>(), new Dense<double>(8, 3));
        model.ResetParameters(new Rng((ulong)seed));
        return model;
    }

    private static double LossOn(Sequential<double> model, ILoss<double> loss, Dataset<double> data) =>
        loss.Forward(model.Predict(data.Features).Data, data.Targets.Data, [], data.Count);

    /// <summary>From <paramref name="fromEpoch"/> on, sets a learning rate so large that the model gets worse.</summary>
    private sealed class Sabotage(int fromEpoch) : ITrainingCallback<double>
    {
        public void OnEpochBegin(TrainingContext<double> context)
        {
            if (context.Epoch >= fromEpoch) context.Optimizer.LearningRate = 20;
        }
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights_when_the_run_reaches_its_epoch_limit()
    {
        (Dataset<double> train, Dataset<double> validation) = Iris(1);
        Sequential<double> model = Mlp(2);
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(model, loss, new Sgd<double>(0.05), new TrainerOptions(Epochs: 12, BatchSize: 8));
        var stopping = new EarlyStopping<double>(patience: 100);
        trainer.Callbacks.Add(new Sabotage(fromEpoch: 8));
        trainer.Callbacks.Add(stopping);
        IReadOnlyList<EpochRecord> history = trainer.Fit(train, new Rng(3), validation);

        Assert.Equal(12, history.Count); // ran to the limit: patience never ran out
        Assert.Null(stopping.StoppedEpoch);
        double best = history.Min(r => r.ValidationLoss!.Value);
        Assert.True(history[^1].ValidationLoss > best + 0.1, $"the sabotaged last epoch should be worse: {history[^1].ValidationLoss} vs {best}");
        Assert.Equal(history.Select(r => r.ValidationLoss!.Value).ToList().IndexOf(best), stopping.BestEpoch);
        // The model now holds the best epoch's weights: its validation loss is the best one recorded.
        Assert.Equal(best, LossOn(model, loss, validation), 12);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement_and_restores()
    {
        (Dataset<double> train, Dataset<double> validation) = Iris(1);
        Sequential<double> model = Mlp(2);
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(model, loss, new Sgd<double>(0.05), new TrainerOptions(Epochs: 100, BatchSize: 8));
        var stopping = new EarlyStopping<double>(patience: 3);
        trainer.Callbacks.Add(new Sabotage(fromEpoch: 6));
        trainer.Callbacks.Add(stopping);
        IReadOnlyList<EpochRecord> history = trainer.Fit(train, new Rng(3), validation);

        Assert.True(history.Count < 100);
        Assert.Equal(history.Count - 1, stopping.StoppedEpoch);
        Assert.Equal(stopping.BestEpoch + 3, stopping.StoppedEpoch);
        Assert.Equal(stopping.BestLoss, LossOn(model, loss, validation), 12);
    }

    [Fact]
    public void Validation_loss_and_metric_are_recorded_every_epoch()
    {
        (Dataset<double> train, Dataset<double> validation) = Iris(4);
        Sequential<double> model = Mlp(5);
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(model, loss, new Adam<double>(new AdamOptions(0.01)), new TrainerOptions(Epochs: 30, BatchSize: 16))
        {
            Metric = EpochMetric<double>.Accuracy(),
        };
        IReadOnlyList<EpochRecord> history = trainer.Fit(train, new Rng(6), validation);
        Assert.All(history, r => Assert.NotNull(r.ValidationLoss));
        Assert.All(history, r => Assert.InRange(r.ValidationMetric!.Value, 0, 1));
        Assert.All(history, r => Assert.Equal(0.01, r.LearningRate!.Value, 12));
        Assert.Equal(LossOn(model, loss, validation), history[^1].ValidationLoss!.Value, 12);
        Assert.True(history[^1].ValidationMetric > 0.85, $"validation accuracy {history[^1].ValidationMetric}");
        Assert.True(history[^1].Metric > 0.85, $"training accuracy {history[^1].Metric}");
    }

    [Fact]
    public void Gradient_clipping_caps_the_global_norm()
    {
        double[] g = [3, 4, 0];
        double before = Trainer<double>.ClipGradientNorm(g, 1.0);
        Assert.Equal(5, before, 12);
        Assert.Equal(5 / (5 + 1e-6), Math.Sqrt(g.Sum(x => x * x)), 12);
        Assert.Equal(3 * (1 / (5 + 1e-6)), g[0], 12);
        double[] small = [0.3, 0.4];
        Trainer<double>.ClipGradientNorm(small, 1.0);
        Assert.Equal([0.3, 0.4], small);
    }

    [Fact]
    public void Clipping_in_the_trainer_bounds_each_step()
    {
        // With plain SGD at lr 1, a clipped step moves the parameters by at most the clip norm.
        (Dataset<double> train, _) = Iris(1);
        Sequential<double> model = Mlp(7);
        double[] before = (double[])model.Parameters.Clone();
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(1.0),
            new TrainerOptions(Epochs: 1, BatchSize: train.Count, ClipNorm: 0.01));
        trainer.Fit(train, new Rng(1));
        double moved = Math.Sqrt(before.Zip(model.Parameters, (a, b) => (a - b) * (a - b)).Sum());
        Assert.InRange(moved, 0.0099, 0.0100001);
    }

    [Fact]
    public void Sample_weights_act_like_repeated_samples()
    {
        // Full-batch training with weight 2 on a sample equals training on the data with that sample twice.
        (Dataset<double> train, _) = Iris(1);
        Dataset<double> small = train.Subset([0, 1, 2, 3, 4, 50, 51, 100]);
        Dataset<double> repeated = train.Subset([0, 1, 2, 3, 4, 50, 51, 100, 0]);
        double[] weights = [2, 1, 1, 1, 1, 1, 1, 1];
        Sequential<double> a = Mlp(8), b = Mlp(8);
        new Trainer<double>(a, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainerOptions(3, BatchSize: 9, Shuffle: false))
            .Fit(small, new Rng(1), validation: null, weights);
        new Trainer<double>(b, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainerOptions(3, BatchSize: 9, Shuffle: false))
            .Fit(repeated, new Rng(1));
        for (int i = 0; i < a.Parameters.Length; i++) Assert.Equal(b.Parameters[i], a.Parameters[i], 12);
    }

    [Fact]
    public void Dropout_trains_reproducibly_and_predicts_deterministically()
    {
        (Dataset<double> train, Dataset<double> validation) = Iris(2);
        double[] Train()
        {
            var model = new Sequential<double>(4, new Dense<double>(4, 32), new Relu<double>(), new Dropout<double>(0.5), new Dense<double>(32, 3));
            model.ResetParameters(new Rng(1));
            new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Adam<double>(new AdamOptions(0.01)), new TrainerOptions(20, BatchSize: 16))
                .Fit(train, new Rng(2));
            double[] first = model.Predict(validation.Features).Data;
            Assert.Equal(first, model.Predict(validation.Features).Data); // inference: dropout is the identity
            return first;
        }
        double[] a = Train(), b = Train();
        Assert.Equal(a, b); // the masks come from the run's generator: same seed, same model
    }

    [Fact]
    public void Schedules_set_the_documented_rates()
    {
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Rates(new StepSchedule(3, 0.5), 7));
        Assert.Equal([1, 0.9, 0.81], Rates(new ExponentialSchedule(0.9), 3), (x, y) => Math.Abs(x - y) < 1e-12);
        // Warm-up 2 of 6 epochs: 1/3, 2/3, then cosine over 4 epochs from 1: 1, (1+cos(π/4))/2, 1/2, (1+cos(3π/4))/2.
        double[] cosine = [1.0 / 3, 2.0 / 3, 1, (1 + Math.Cos(Math.PI / 4)) / 2, 0.5, (1 + Math.Cos(3 * Math.PI / 4)) / 2];
        Assert.Equal(cosine, Rates(new CosineSchedule(WarmupEpochs: 2), 6), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal([1, 1, 1], Rates(LearningRateSchedule.Constant, 3));
    }

    [Fact]
    public void A_schedule_is_a_function_of_the_epoch_the_horizon_and_the_base_rate_alone()
    {
        // Epochs 3 to 5 of a 6-epoch cosine run, trained as a run of their own from epoch 3: the same rates, whatever the
        // optimizer's rate was before (the first bug of a resumed cosine schedule took that rate as its base).
        var schedule = new CosineSchedule(WarmupEpochs: 2);
        double[] whole = Rates(schedule, 6);
        (Dataset<double> train, _) = Iris(1);
        var optimizer = new Sgd<double>(1e-9);
        var trainer = new Trainer<double>(Mlp(1), new SoftmaxCrossEntropy<double>(), optimizer, new TrainerOptions(3, BatchSize: 150) { InitialEpoch = 3 });
        trainer.Callbacks.Add(new LearningRateScheduler<double>(schedule, baseRate: 1.0, epochs: 6));
        double[] tail = trainer.Fit(train, new Rng(1)).Select(r => r.LearningRate!.Value).ToArray();
        Assert.Equal(whole[3..], tail);
    }

    private static double[] Rates(LearningRateSchedule schedule, int epochs)
    {
        (Dataset<double> train, _) = Iris(1);
        var trainer = new Trainer<double>(Mlp(1), new SoftmaxCrossEntropy<double>(), new Sgd<double>(1.0), new TrainerOptions(epochs, BatchSize: 150));
        trainer.Callbacks.Add(new LearningRateScheduler<double>(schedule, baseRate: 1.0, epochs));
        return trainer.Fit(train, new Rng(1)).Select(r => r.LearningRate!.Value).ToArray();
    }

    /// <summary>Feeds a fixed sequence of losses to a plateau scheduler as if they were validation losses; the rate of the next epoch after each.</summary>
    private static double[] PlateauRates(PlateauSchedule plateau, double[] losses, LearningRateSchedulerState? from = null)
    {
        var scheduler = new LearningRateScheduler<double>(plateau, baseRate: 1.0, epochs: losses.Length, initialState: from);
        Sequential<double> model = Mlp(1);
        var context = new TrainingContext<double>(model, new Sgd<double>(1.0), new TrainerOptions(0), 1);
        scheduler.OnTrainBegin(context);
        var rates = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            scheduler.OnEpochEnd(context, new EpochRecord(e, 0, 0, ValidationLoss: losses[e]));
            rates.Add(scheduler.LearningRateAt(e + 1));
        }
        return [.. rates];
    }

    [Fact]
    public void Early_stopping_counts_min_delta_and_never_keeps_a_nan_epoch()
    {
        Sequential<double> model = Mlp(1);
        var optimizer = new Sgd<double>(1.0);
        var context = new TrainingContext<double>(model, optimizer, new TrainerOptions(), 1);
        var stopping = new EarlyStopping<double>(patience: 2, minDelta: 0.1);
        stopping.OnTrainBegin(context);
        double[] losses = [double.NaN, 1.0, 0.95, 0.85, 0.8, 0.79];
        for (int e = 0; e < losses.Length && !context.StopRequested; e++)
        {
            model.Parameters[0] = e; // mark the weights with the epoch
            stopping.OnEpochEnd(context, new EpochRecord(e, 0, 0, ValidationLoss: losses[e]));
        }
        // 1.0 (epoch 1) is the first real best; 0.95 is within min_delta; 0.85 improves by 0.15; 0.8 and 0.79 do not: stop at 5.
        Assert.Equal(3, stopping.BestEpoch);
        Assert.Equal(5, stopping.StoppedEpoch);
        stopping.OnTrainEnd(context);
        Assert.Equal(3, model.Parameters[0]);
    }

    [Fact]
    public void Reduce_on_plateau_cuts_after_more_than_patience_bad_epochs()
    {
        // best 1.0 at epoch 0; epochs 1, 2 bad (patience 1: the 2nd bad epoch triggers); then 0.5 improves.
        double[] rates = PlateauRates(new PlateauSchedule(Patience: 1, Factor: 0.5), [1.0, 1.0, 0.99995, 0.5, 0.6, 0.7]);
        Assert.Equal([1, 1, 0.5, 0.5, 0.5, 0.25], rates);
    }

    [Fact]
    public void A_plateau_schedule_resumed_from_its_state_goes_on_exactly()
    {
        var plateau = new PlateauSchedule(Patience: 1, Factor: 0.5);
        double[] losses = [1.0, 1.0, 0.99995, 0.5, 0.6, 0.7];
        var scheduler = new LearningRateScheduler<double>(plateau, 1.0, losses.Length);
        var context = new TrainingContext<double>(Mlp(1), new Sgd<double>(1.0), new TrainerOptions(0), 1);
        scheduler.OnTrainBegin(context);
        for (int e = 0; e < 3; e++) scheduler.OnEpochEnd(context, new EpochRecord(e, 0, 0, ValidationLoss: losses[e]));
        double[] resumed = PlateauRates(plateau, losses[3..], scheduler.State);
        Assert.Equal(PlateauRates(plateau, losses)[3..], resumed);
    }
}
