using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>NaN or infinity in the loss or the weights ends training with a clear error, and early stopping keeps the best weights.</summary>
public class DivergenceTests
{
    // y = 2 x0 − x1 + noise: a regression that plain SGD learns with a small step and that a huge step blows up (MSE gradients
    // grow with the error, so each step multiplies the weights).
    private static Dataset<T> Line<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(3);
        const int rows = 64;
        var features = new Matrix<T>(rows, 2);
        var targets = new Matrix<T>(rows, 1);
        for (int r = 0; r < rows; r++)
        {
            double x0 = rng.NextNormal(), x1 = rng.NextNormal();
            features[r, 0] = T.CreateChecked(x0);
            features[r, 1] = T.CreateChecked(x1);
            targets[r, 0] = T.CreateChecked(2 * x0 - x1 + 0.1 * rng.NextNormal());
        }
        return new Dataset<T>(features, targets);
    }

    private static (Sequential<T> Model, Trainer<T> Trainer) Regression<T>(double learningRate, int epochs = 20)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Sequential<T>(2, new Dense<T>(2, 8), new Relu<T>(), new Dense<T>(8, 1));
        model.ResetParameters(new Rng(1));
        var trainer = new Trainer<T>(model, new MeanSquaredError<T>(), new Sgd<T>(T.CreateChecked(learningRate)), new TrainerOptions(Epochs: epochs, BatchSize: 8));
        return (model, trainer);
    }

    [Fact]
    public void A_huge_learning_rate_stops_with_the_epoch_the_batch_and_a_hint()
    {
        (_, Trainer<float> trainer) = Regression<float>(1e6);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Line<float>(), new Rng(0)));
        Assert.IsAssignableFrom<BackpropException>(e);
        Assert.Equal(0, e.Epoch);
        Assert.InRange(e.Batch, 0, 7);
        Assert.StartsWith("Training diverged: ", e.Message);
        Assert.Contains($"at epoch 0, batch {e.Batch + 1} of 8.", e.Message);
        Assert.Contains("Try a lower learning rate (now 1000000)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void A_weight_decay_that_flips_the_weights_is_named_rather_than_the_learning_rate(string optimizer)
    {
        // lr 0.01 and λ 500: each step multiplies every weight by 1 − 5 = −4, whatever the gradient.
        var model = new Sequential<float>(2, new Dense<float>(2, 8), new Relu<float>(), new Dense<float>(8, 1));
        model.ResetParameters(new Rng(1));
        Optimizer<float> decaying = optimizer == "sgd"
            ? new Sgd<float>(new SgdOptions(LearningRate: 0.01, WeightDecay: 500))
            : new AdamW<float>(new AdamOptions(LearningRate: 0.01, WeightDecay: 500));
        var trainer = new Trainer<float>(model, new MeanSquaredError<float>(), decaying, new TrainerOptions(Epochs: 20, BatchSize: 8));
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Line<float>(), new Rng(0)));
        Assert.Contains("The weight decay times the learning rate is 5, so every step multiplies the weights by -4: " +
            "use a weight decay below 2 / learning rate (200), usually far below.", e.Message);
        Assert.DoesNotContain("lower learning rate", e.Message);
    }

    [Fact]
    public void Only_a_decay_that_scales_the_weights_counts_per_step()
    {
        Assert.Equal(0.5, new Sgd<float>(new SgdOptions(LearningRate: 0.01, WeightDecay: 50)).WeightDecayPerStep, 6);
        Assert.Equal(0.5, new AdamW<double>(new AdamOptions(LearningRate: 0.01, WeightDecay: 50)).WeightDecayPerStep, 12);
        Assert.Equal(0, new Adam<float>(new AdamOptions(LearningRate: 0.01, WeightDecay: 50)).WeightDecayPerStep); // normalized away
        var sgd = new Sgd<double>(new SgdOptions(LearningRate: 0.01, WeightDecay: 50)) { LearningRate = 0.1 };
        Assert.Equal(5, sgd.WeightDecayPerStep, 12); // at the current rate, as a schedule sets it
    }

    // Raises the learning rate to a diverging value from a given epoch on: a run that improves, then blows up.
    private sealed class Sabotage<T>(int fromEpoch) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public List<T[]> WeightsAfterEpoch { get; } = [];
        public List<double> Losses { get; } = [];

        public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
        {
            WeightsAfterEpoch.Add((T[])context.Model.Parameters.Clone());
            Losses.Add(record.Loss);
            if (record.Epoch + 1 == fromEpoch) context.Optimizer.LearningRate = T.CreateChecked(1e6);
        }
    }

    [Fact]
    public void Early_stopping_keeps_the_best_weights_seen_before_the_divergence()
    {
        (Sequential<double> model, Trainer<double> trainer) = Regression<double>(0.02);
        var stopping = new EarlyStopping<double>(patience: 100);
        var sabotage = new Sabotage<double>(fromEpoch: 6);
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(sabotage);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Line<double>(), new Rng(0)));

        Assert.Equal(6, e.Epoch);
        Assert.Equal(6, sabotage.Losses.Count);
        // The loss fell while the step was small, so the best epoch is the last good one; its weights are back, bit for bit.
        Assert.True(sabotage.Losses[5] < sabotage.Losses[0], string.Join(", ", sabotage.Losses));
        int best = sabotage.Losses.IndexOf(sabotage.Losses.Min());
        Assert.Equal(best, stopping.BestEpoch);
        Assert.All(model.Parameters, w => Assert.True(double.IsFinite(w)));
        Assert.Equal(sabotage.WeightsAfterEpoch[best], model.Parameters);
    }

    [Fact]
    public void Without_early_stopping_the_error_still_comes_after_the_callbacks_see_the_end()
    {
        (_, Trainer<double> trainer) = Regression<double>(1e6);
        var ended = new List<bool>();
        trainer.Callbacks.Add(new EndRecorder<double>(ended));
        Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Line<double>(), new Rng(0)));
        Assert.Equal([true], ended);
    }

    private sealed class EndRecorder<T>(List<bool> ended) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void OnTrainEnd(TrainingContext<T> context) => ended.Add(context.StopRequested);
    }
}
