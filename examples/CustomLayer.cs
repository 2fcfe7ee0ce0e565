#:project ../src/Backprop/Backprop.csproj
// Writing your own layer: Swish, output = x · sigmoid(x), with its hand-derived backward pass,
// checked against finite differences, then trained on Iris in place of ReLU.
// Run it with:  dotnet run examples/CustomLayer.cs
using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

// 1. Check the backward pass: for L = Σ output ⊙ r, dL/dx must equal the central difference (L(x + h) − L(x − h)) / 2h.
var swish = new Swish<double>();
swish.Build(5);
double[] x = [-2.0, -0.5, 0.1, 0.7, 3.0], r = [0.3, -1.2, 0.8, 0.5, -0.7];
double[] y = new double[5], dx = new double[5];
swish.Forward(y, x, 1, null);
swish.Backward(dx, r, x, y, 1);
double worst = 0;
for (int i = 0; i < x.Length; i++)
{
    double saved = x[i], h = 1e-6;
    x[i] = saved + h; swish.Forward(y, x, 1, null); double plus = Dot(y, r);
    x[i] = saved - h; swish.Forward(y, x, 1, null); double minus = Dot(y, r);
    x[i] = saved;
    double numerical = (plus - minus) / (2 * h);
    worst = Math.Max(worst, Math.Abs(dx[i] - numerical) / Math.Max(Math.Abs(dx[i]) + Math.Abs(numerical), 1e-12));
}
Console.WriteLine($"Swish gradient check: largest relative error {worst:E1} ({(worst < 1e-6 ? "ok" : "WRONG")})");

// 2. Use it like any built-in layer.
Dataset<float> iris = EmbeddedDatasets.Iris<float>();
Dataset<float> data = iris.WithFeatures(StandardScaler<float>.Fit(iris.Features).Transform(iris.Features));
var rng = new Rng(seed: 1);
var model = new Sequential<float>(4, new Dense<float>(4, 16), new Swish<float>(), new Dense<float>(16, 3));
model.ResetParameters(rng);
Console.WriteLine(model);
var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.05f), new TrainerOptions(Epochs: 30, BatchSize: 8));
IReadOnlyList<EpochRecord> history = trainer.Fit(data, rng);
Console.WriteLine($"Loss: epoch 0 {history[0].Loss:F4}, epoch {history.Count - 1} {history[^1].Loss:F4}");
int[] labels = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
double accuracy = Classification.Accuracy(labels, Classification.ArgMax(model.Predict(data.Features)));
Console.WriteLine($"Training Accuracy: {accuracy.ToString(CultureInfo.InvariantCulture)}");

static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

/// <summary>Swish (SiLU): <c>output = input · σ(input)</c>, elementwise; input (B, F) → output (B, F), no parameters.</summary>
sealed class Swish<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int InputFeatures { get; private set; }
    public int OutputFeatures => InputFeatures;
    public int ParameterCount => 0;
    public void Build(int inputFeatures) => InputFeatures = inputFeatures;
    public void Bind(T[] parameters, T[] gradients, int offset) { }
    public void ResetParameters(Rng rng) { }

    // input (B, F) -> output (B, F)
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        for (int i = 0; i < batch * InputFeatures; i++) output[i] = input[i] * Sigmoid(input[i]);
    }

    // forward was: output = x · σ(x), so
    // dinput = doutput ⊙ (σ(x) + x · σ(x) · (1 − σ(x))) = doutput ⊙ (σ(x) + output · (1 − σ(x)))
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty) return;
        for (int i = 0; i < batch * InputFeatures; i++)
        {
            T s = Sigmoid(input[i]);
            dinput[i] = doutput[i] * (s + output[i] * (T.One - s));
        }
    }

    private static T Sigmoid(T x) => T.One / (T.One + T.Exp(-x));

    public override string ToString() => "Swish()";
}
