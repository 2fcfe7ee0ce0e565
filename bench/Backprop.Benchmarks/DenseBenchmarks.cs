using BenchmarkDotNet.Attributes;
using Backprop.Layers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Benchmarks;

/// <summary>One dense layer of the mlp workload (784 → 256, batch 128) and of the notebook (4 → 16, batch 1): forward and backward.</summary>
[MemoryDiagnoser]
public class DenseBenchmarks
{
    private Dense<float> _layer = new(1, 1);
    private float[] _input = [], _output = [], _doutput = [], _dinput = [];

    /// <summary>(batch, inputs, outputs).</summary>
    [Params("128x784x256", "1x4x16")]
    public string Shape { get; set; } = "128x784x256";

    /// <summary>Builds the layer and its buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[] shape = Shape.Split('x').Select(int.Parse).ToArray();
        (int batch, int inputs, int outputs) = (shape[0], shape[1], shape[2]);
        _layer = new Dense<float>(inputs, outputs);
        var model = new Sequential<float>(inputs, _layer);
        var rng = new Rng(2);
        model.ResetParameters(rng);
        _input = new float[batch * inputs];
        _dinput = new float[batch * inputs];
        _output = new float[batch * outputs];
        _doutput = new float[batch * outputs];
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)rng.NextNormal();
        for (int i = 0; i < _doutput.Length; i++) _doutput[i] = (float)rng.NextNormal();
    }

    /// <summary>output = input · weightᵀ + bias.</summary>
    [Benchmark]
    public void Forward() => _layer.Forward(_output, _input, _input.Length / _layer.InputFeatures, null);

    /// <summary>dinput = doutput · weight; dweight += doutputᵀ · input; dbias += Σ doutput.</summary>
    [Benchmark]
    public void Backward() => _layer.Backward(_dinput, _doutput, _input, _output, _input.Length / _layer.InputFeatures);
}
