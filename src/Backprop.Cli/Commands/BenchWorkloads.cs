using System.Diagnostics;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>The standard workloads of <c>backprop bench</c> (design §6): seed, mlp, gemm.</summary>
/// <remarks>
/// Each is warmed up first (so the JIT has reached its optimized code) and timed on the training loop or the kernel alone,
/// never on data generation. Shared machines are noisy, so seed and gemm report the best of a few timed rounds.
/// </remarks>
internal static class BenchWorkloads
{
    /// <summary>Forward and backward of 784→256→128→10 without the first layer's input gradient: 2·(784·256 + 256·128 + 128·10)·3 − 2·784·256, rounded as design §6 states it.</summary>
    public const double MlpFlopsPerSample = 1.007e6;

    private const int SeedRounds = 20;
    private const int GemmRounds = 3;

    /// <summary><c>seed</c>: Iris, 4→16→3, per-sample SGD (lr 0.01), 50 epochs, as <c>backprop train</c> runs it.</summary>
    public static BenchResult Seed(int threads)
    {
        Parallelism.MaxThreads = threads;
        // The notebook's settings, read from the library's own record of them, so the benchmark cannot drift from the run.
        TabularTrainingOptions notebook = TabularTrainingOptions.Notebook;
        Dataset<float> raw = EmbeddedDatasets.Load<float>(notebook.Dataset!);
        Dataset<float> data = raw.WithFeatures(StandardScaler<float>.Fit(raw.Features).Transform(raw.Features));
        int steps = notebook.Epochs * data.Count;
        double best = double.MaxValue;
        long warmUpEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        for (int measured = 0; measured < SeedRounds;)
        {
            var rng = new Rng(0);
            // Standard-normal weights: the notebook's initialization for the embedded data sets.
            Sequential<float> model = Layers.Mlp.Create<float>(data.FeatureCount, notebook.HiddenLayers, 3, notebook.Activation!.Value, Initialization.Normal);
            model.ResetParameters(rng);
            var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>((float)notebook.EffectiveLearningRate),
                new TrainerOptions(notebook.Epochs, notebook.BatchSize, notebook.Shuffle));
            long start = Stopwatch.GetTimestamp();
            trainer.Fit(data, rng);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            // The first second is warm-up: the JIT promotes the hot loop to optimized code while it runs.
            if (Stopwatch.GetTimestamp() >= warmUpEnd)
            {
                best = Math.Min(best, seconds);
                measured++;
            }
        }
        return new BenchResult("seed", "4x16x3", threads, steps / best, null, null, best);
    }

    /// <summary><c>mlp</c>: 60,000 × 784 synthetic rows, 784→256→128→10 ReLU, batch 128, one epoch after a warm-up epoch.</summary>
    public static BenchResult Mlp(int threads)
    {
        Parallelism.MaxThreads = threads;
        const int rows = 60_000, features = 784, classes = 10;
        var rng = new Rng(0);
        var x = new Matrix<float>(rows, features);
        var y = new Matrix<float>(rows, 1);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextNormal();
        for (int i = 0; i < rows; i++) y.Data[i] = rng.NextInt(classes);
        var data = new Dataset<float>(x, y);
        Sequential<float> model = Layers.Mlp.Create<float>(features, [256, 128], classes, Activation.Relu, Initialization.PyTorch);
        model.ResetParameters(rng);
        // The workload's optimizer, as torch_mlp.py's: Adam at lr 1e-3.
        Optimizer<float> optimizer = new Adam<float>(new AdamOptions(LearningRate: 1e-3));
        var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), optimizer, new TrainerOptions(1, 128, true));
        trainer.Fit(data, rng);
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(data, rng);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double samplesPerSecond = rows / seconds;
        return new BenchResult("mlp", "784x256x128x10", threads, samplesPerSecond / 128, samplesPerSecond,
            samplesPerSecond * MlpFlopsPerSample / 1e9, seconds);
    }

    /// <summary><c>gemm</c>: 1024³ float32 and the products of the mlp workload's training step.</summary>
    public static IEnumerable<BenchResult> Gemm(int threads)
    {
        Parallelism.MaxThreads = threads;
        yield return Product("C = A·B", 1024, 1024, 1024, Tensors.Gemm.Multiply, threads);
        // Layer 1 (784→256) and layer 2 (256→128) at batch 128: forward, input gradient, weight gradient.
        yield return Product("Y = X·Wᵀ", 128, 256, 784, Tensors.Gemm.MultiplyTransposedB, threads);
        yield return Product("dX = dY·W", 128, 784, 256, Tensors.Gemm.Multiply, threads);
        yield return Product("dW = dYᵀ·X", 256, 784, 128, Tensors.Gemm.MultiplyTransposedA, threads);
        yield return Product("Y = X·Wᵀ", 128, 128, 256, Tensors.Gemm.MultiplyTransposedB, threads);
        yield return Product("dX = dY·W", 128, 256, 128, Tensors.Gemm.Multiply, threads);
        yield return Product("dW = dYᵀ·X", 128, 256, 128, Tensors.Gemm.MultiplyTransposedA, threads);
    }

    private delegate void MatrixProduct<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate);

    // c (M, N) = op(a) · op(b) over K, repeated for ≥ 0.2 s per round; the best round's rate
    private static BenchResult Product(string name, int m, int n, int k, MatrixProduct<float> product, int threads)
    {
        var rng = new Rng(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextNormal();
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextNormal();
        for (int i = 0; i < 3; i++) product(c, a, b, m, n, k, false);
        double flops = 2.0 * m * n * k, bestSeconds = double.MaxValue;
        for (int round = 0; round < GemmRounds; round++)
        {
            int calls = 0;
            long start = Stopwatch.GetTimestamp();
            double seconds;
            do
            {
                product(c, a, b, m, n, k, false);
                calls++;
                seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            while (seconds < 0.2);
            bestSeconds = Math.Min(bestSeconds, seconds / calls);
        }
        return new BenchResult("gemm", $"{m}x{n}x{k} {name}", threads, null, null, flops / bestSeconds / 1e9, bestSeconds);
    }
}
