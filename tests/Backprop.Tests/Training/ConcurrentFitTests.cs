using System.Numerics;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// Training state is never shared: models trained at the same time on different threads end exactly as each does alone, and the
/// number of GEMM threads never changes a bit of the result.
/// </summary>
public class ConcurrentFitTests
{
    // Random features, classes from a random linear map: learnable, and wide enough (with batch 64) that the hidden layer's GEMMs
    // pass Gemm.ParallelThreshold and use the shared worker pool.
    private static Dataset<T> Synthetic<T>(int rows, int features, int classes, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var x = new Matrix<T>(rows, features);
        var y = new Matrix<T>(rows, 1);
        var map = new double[classes * features];
        for (int i = 0; i < map.Length; i++) map[i] = rng.NextNormal();
        for (int r = 0; r < rows; r++)
        {
            var row = new double[features];
            for (int f = 0; f < features; f++) x[r, f] = T.CreateChecked(row[f] = rng.NextNormal());
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double score = 0;
                for (int f = 0; f < features; f++) score += map[c * features + f] * row[f];
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            y[r, 0] = T.CreateChecked(best);
        }
        return new Dataset<T>(x, y);
    }

    // A wide float classifier with dropout and Adam: its GEMMs are large enough to run on the worker pool.
    private static byte[] WideClassifier()
    {
        Dataset<float> data = Synthetic<float>(256, 128, 4, seed: 1);
        var model = new Sequential<float>(128, new Dense<float>(128, 256), new Relu<float>(), new Dropout<float>(0.2), new Dense<float>(256, 4));
        model.ResetParameters(new Rng(2));
        var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Adam<float>(new AdamOptions(1e-3)),
            new TrainerOptions(Epochs: 3, BatchSize: 64));
        trainer.Fit(data, new Rng(3), Synthetic<float>(64, 128, 4, seed: 4));
        return ModelFile.ToBytes(model);
    }

    // A small double regressor with SGD momentum.
    private static byte[] SmallRegressor()
    {
        Dataset<double> classes = Synthetic<double>(200, 6, 3, seed: 5);
        var data = new Dataset<double>(classes.Features, classes.Targets);
        var model = new Sequential<double>(6, new Dense<double>(6, 16), new Tanh<double>(), new Dense<double>(16, 1));
        model.ResetParameters(new Rng(6));
        var trainer = new Trainer<double>(model, new MeanSquaredError<double>(), new Sgd<double>(new SgdOptions(0.01, Momentum: 0.9)),
            new TrainerOptions(Epochs: 20, BatchSize: 16));
        trainer.Fit(data, new Rng(7));
        return ModelFile.ToBytes(model);
    }

    // The estimator API: validation split, early stopping, its own scaler.
    private static byte[] Estimator()
    {
        Dataset<float> data = Synthetic<float>(300, 10, 3, seed: 8);
        int[] labels = Enumerable.Range(0, data.Count).Select(r => (int)data.Targets[r, 0]).ToArray();
        var classifier = new MlpClassifier<float>(new TabularTrainingOptions { HiddenLayers = [32], Epochs = 15, Seed = 9, Dropout = 0.1 });
        classifier.Fit(data.Features, labels);
        return classifier.Model.ToBytes();
    }

    private static readonly Func<byte[]>[] Runs = [WideClassifier, SmallRegressor, Estimator];

    [Fact]
    public void Models_trained_at_the_same_time_end_exactly_as_each_does_alone()
    {
        byte[][] alone = Runs.Select(run => run()).ToArray();
        for (int round = 0; round < 2; round++)
        {
            var together = new byte[Runs.Length][];
            // Two copies of each run at once: the same kind of model on two threads, as well as different kinds.
            var copies = new byte[Runs.Length][];
            using var start = new Barrier(2 * Runs.Length);
            Thread[] threads = Enumerable.Range(0, 2 * Runs.Length).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                byte[] result = Runs[t % Runs.Length]();
                if (t < Runs.Length) together[t] = result;
                else copies[t - Runs.Length] = result;
            })).ToArray();
            foreach (Thread thread in threads) thread.Start();
            foreach (Thread thread in threads) thread.Join();
            for (int r = 0; r < Runs.Length; r++)
            {
                Assert.Equal(alone[r], together[r]);
                Assert.Equal(alone[r], copies[r]);
            }
        }
        Assert.Equal(Runs.Length, alone.Distinct(new BytesComparer()).Count());
    }

    [Fact]
    public void The_number_of_gemm_threads_does_not_change_a_bit_of_the_model()
    {
        // Hidden layer forward: (64, 128) · (128, 256), 2 Mi multiply-adds, over the threshold for splitting.
        Assert.True(64L * 128 * 256 >= Gemm.ParallelThreshold);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            byte[] one = WideClassifier();
            Parallelism.MaxThreads = 2;
            byte[] two = WideClassifier();
            Parallelism.MaxThreads = 4;
            byte[] four = WideClassifier();
            Assert.Equal(one, two);
            Assert.Equal(one, four);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] bytes) => bytes.Length;
    }
}
