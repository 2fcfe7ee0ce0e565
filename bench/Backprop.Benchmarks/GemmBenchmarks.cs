using BenchmarkDotNet.Attributes;
using Backprop.Tensors;

namespace Backprop.Benchmarks;

/// <summary>The GEMM shapes of the standard workloads: 1024³ and the products of the mlp's training step, on 1 and 2 threads.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates random operands large enough for every shape.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _a = Random(rng, 1024 * 1024);
        _b = Random(rng, 1024 * 1024);
        _c = new float[1024 * 1024];
        Parallelism.MaxThreads = Threads;
    }

    /// <summary>C (1024, 1024) = A (1024, 1024) · B (1024, 1024).</summary>
    [Benchmark]
    public void Square1024() => Gemm.Multiply<float>(_c, _a, _b, 1024, 1024, 1024, accumulate: false);

    /// <summary>Layer 1 forward: Y (128, 256) = X (128, 784) · Wᵀ.</summary>
    [Benchmark]
    public void Layer1Forward() => Gemm.MultiplyTransposedB<float>(_c, _a, _b, 128, 256, 784, accumulate: false);

    /// <summary>Layer 1 input gradient: dX (128, 784) = dY (128, 256) · W (256, 784).</summary>
    [Benchmark]
    public void Layer1InputGradient() => Gemm.Multiply<float>(_c, _a, _b, 128, 784, 256, accumulate: false);

    /// <summary>Layer 1 weight gradient: dW (256, 784) += dYᵀ · X, dY (128, 256), X (128, 784).</summary>
    [Benchmark]
    public void Layer1WeightGradient() => Gemm.MultiplyTransposedA<float>(_c, _a, _b, 256, 784, 128, accumulate: true);

    /// <summary>Layer 2 forward: Y (128, 128) = X (128, 256) · Wᵀ.</summary>
    [Benchmark]
    public void Layer2Forward() => Gemm.MultiplyTransposedB<float>(_c, _a, _b, 128, 128, 256, accumulate: false);

    /// <summary>The notebook's per-sample forward: Y (1, 16) = X (1, 4) · Wᵀ.</summary>
    [Benchmark]
    public void PerSample1x4x16() => Gemm.MultiplyTransposedB<float>(_c, _a, _b, 1, 16, 4, accumulate: false);

    private static float[] Random(Rng rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)rng.NextNormal();
        return values;
    }
}
