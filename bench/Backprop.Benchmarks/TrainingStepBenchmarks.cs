using BenchmarkDotNet.Attributes;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Benchmarks;

/// <summary>
/// One training step (zero gradients, forward, softmax cross-entropy, backward, optimizer step) of the two standard models:
/// the notebook's 4 → 16 → 3 at batch 1 and the mlp workload's 784 → 256 → 128 → 10 at batch 128. MemoryDiagnoser shows
/// the step allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Sequential<float> _model = null!;
    private Workspace<float> _workspace = null!;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private Optimizer<float> _optimizer = null!;
    private float[] _inputs = [], _targets = [];
    private int _batch;

    /// <summary>seed (4→16→3, batch 1) or mlp (784→256→128→10, batch 128).</summary>
    [Params("seed", "mlp")]
    public string Workload { get; set; } = "seed";

    /// <summary>Builds the model, a batch of random inputs and labels, and the optimizer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        bool seed = Workload == "seed";
        int features = seed ? 4 : 784, classes = seed ? 3 : 10;
        int[] hidden = seed ? [16] : [256, 128];
        _batch = seed ? 1 : 128;
        var layers = new List<ILayer<float>>();
        int width = features;
        foreach (int h in hidden)
        {
            layers.Add(new Dense<float>(width, h));
            layers.Add(new Relu<float>());
            width = h;
        }
        layers.Add(new Dense<float>(width, classes));
        _model = new Sequential<float>(features, [.. layers]);
        var rng = new Rng(3);
        _model.ResetParameters(rng);
        _workspace = _model.CreateWorkspace(_batch);
        _inputs = new float[_batch * features];
        _targets = new float[_batch];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)rng.NextNormal();
        for (int i = 0; i < _batch; i++) _targets[i] = rng.NextInt(classes);
        // seed: the notebook's SGD at 0.01; mlp: Adam at 1e-3, as torch_mlp.py.
        _optimizer = seed ? new Sgd<float>(0.01f) : new Adam<float>(new AdamOptions(LearningRate: 1e-3));
    }

    /// <summary>One optimizer step on one batch.</summary>
    [Benchmark]
    public float Step()
    {
        _model.ZeroGradients();
        ReadOnlySpan<float> output = _model.Forward(_workspace, _inputs, _batch);
        float loss = _loss.ForwardBackward(_workspace.LossGradient(_batch), output, _targets, ReadOnlySpan<float>.Empty, _batch);
        _model.Backward(_workspace, _inputs, _batch);
        _optimizer.Step(_model.Parameters, _model.Gradients);
        return loss;
    }
}
