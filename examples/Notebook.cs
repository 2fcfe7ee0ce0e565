#:project ../src/Backprop/Backprop.csproj
// The classic NumPy notebook, step by step, with Backprop's low-level building blocks.
// Run it with:  dotnet run examples/Notebook.cs
using System.Globalization;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

// 1. Data: Iris, 150 flowers × 4 measurements, 3 species; each feature standardized with the population std (ddof = 0).
Dataset<double> iris = EmbeddedDatasets.Iris<double>();
Matrix<double> data = StandardScaler<double>.Fit(iris.Features).Transform(iris.Features);   // (150, 4)
int[] target = Enumerable.Range(0, iris.Count).Select(iris.Label).ToArray();                // (150)

// 2. Parameters: w1 (16, 4), b1 (16), w2 (3, 16), b2 (3), all standard normal, as np.random.randn does.
//    (Backprop stores weights (out, in) like PyTorch; the notebook stores them (in, out).)
var rng = new Rng(seed: 0);
var dense1 = new Dense<double>(4, 16, Initialization.Normal);
var relu = new Relu<double>();
var dense2 = new Dense<double>(16, 3, Initialization.Normal);
var model = new Sequential<double>(4, dense1, relu, dense2);   // one block holds w1, b1, w2, b2
model.ResetParameters(rng);

var loss = new SoftmaxCrossEntropy<double>();
var sgd = new Sgd<double>(learningRate: 0.01);

// Buffers for one sample: a (1, 16), b (1, 16), c (1, 3) and their gradients.
double[] a = new double[16], b = new double[16], c = new double[3];
double[] da = new double[16], db = new double[16], dc = new double[3];

for (int epoch = 0; epoch < 50; epoch++)
{
    int[] order = rng.Permutation(iris.Count);   // np.random.permutation(len(data))
    double lossSum = 0;
    foreach (int i in order)
    {
        ReadOnlySpan<double> x = data.Row(i);   // (1, 4)
        double[] y = [target[i]];

        // forward: a = x·w1ᵀ + b1, b = relu(a), c = b·w2ᵀ + b2, loss = −log softmax(c)[y]
        dense1.Forward(a, x, 1, training: rng);   // training: the per-sample path (null would be inference's)
        relu.Forward(b, a, 1, training: rng);
        dense2.Forward(c, b, 1, training: rng);
        model.ZeroGradients();
        lossSum += loss.ForwardBackward(dc, c, y, [], 1);   // dc = softmax(c) − onehot(y)

        // backward, quoting the notebook: dw2 = bᵀ·dc, db2 = dc, db = dc·w2, da = db ⊙ (a > 0), dw1 = xᵀ·da, db1 = da
        dense2.Backward(db, dc, b, c, 1);
        relu.Backward(da, db, a, b, 1);
        dense1.Backward(Span<double>.Empty, da, x, a, 1);   // nobody needs dx

        // update: w −= learning_rate · g, for every parameter at once (they share one block)
        sgd.Step(model.Parameters, model.Gradients);
    }
    Console.WriteLine($"Epoch {epoch} Loss: {(lossSum / iris.Count).ToString(CultureInfo.InvariantCulture)}");
}

// Accuracy: argmax of the forward pass over every sample.
int[] predicted = Classification.ArgMax(model.Predict(data));
Console.WriteLine($"Training Accuracy: {Classification.Accuracy(target, predicted).ToString(CultureInfo.InvariantCulture)}");
