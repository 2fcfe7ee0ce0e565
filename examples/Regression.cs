#:project ../src/Backprop/Backprop.csproj
// A regressor on targets in the thousands, with no manual target scaling: MlpRegressor standardizes the target while it
// trains and un-scales its predictions, so R², MAE and RMSE come out in the target's own units.
// Run it with:  dotnet run examples/Regression.cs
using System.Globalization;
using Backprop.Estimators;
using Backprop.Metrics;
using Backprop.Tensors;

// 1. Synthetic data: 5 inputs uniform in [−2, 2], a nonlinear target around 1,000 with noise of standard deviation 20.
const int Rows = 2000, Inputs = 5;
var rng = new Rng(seed: 7);
var features = new Matrix<float>(Rows, Inputs);
var targets = new double[Rows];
for (int i = 0; i < Rows; i++)
{
    Span<float> x = features.Row(i);
    for (int j = 0; j < Inputs; j++) x[j] = (float)rng.NextUniform(-2, 2);
    targets[i] = Truth(x) + 20 * rng.NextNormal();
}
double mean = targets.Average(), std = Math.Sqrt(targets.Average(y => (y - mean) * (y - mean)));
Console.WriteLine($"{Rows} rows × {Inputs} inputs; target mean {Format(mean)}, std {Format(std)}, range [{Format(targets.Min())}, {Format(targets.Max())}]");

// 2. Hold out the last 20% of the rows (the rows are already in random order).
int trainCount = Rows * 8 / 10, testCount = Rows - trainCount;
var trainFeatures = new Matrix<float>(features.RowRange(0, trainCount).ToArray(), trainCount, Inputs);
var testFeatures = new Matrix<float>(features.RowRange(trainCount, testCount).ToArray(), testCount, Inputs);
double[] trainTargets = targets[..trainCount], testTargets = targets[trainCount..];

// 3. Fit on the raw targets: two hidden layers, Adam at a higher learning rate than the default; early stopping is on.
var regressor = new MlpRegressor<float>(new TabularTrainingOptions { HiddenLayers = [64, 64], LearningRate = 3e-3, Seed = 1 });
regressor.Fit(trainFeatures, trainTargets);
Console.WriteLine($"Trained {regressor.History.Count} epochs (best: {regressor.BestEpoch}); " +
    $"the network learned (y − {Format(regressor.TargetMean)}) / {Format(regressor.TargetScale)}.");

// 4. Held-out metrics, in the target's units.
double[] predicted = regressor.Predict(testFeatures);
Console.WriteLine($"Held-out R²:   {regressor.Score(testFeatures, testTargets).ToString("F4", CultureInfo.InvariantCulture)}");
Console.WriteLine($"Held-out MAE:  {Format(Regression.MeanAbsoluteError(testTargets, predicted))}");
Console.WriteLine($"Held-out RMSE: {Format(Regression.RootMeanSquaredError(testTargets, predicted))}  (noise std: 20.0)");
Console.WriteLine("Some held-out rows:");
for (int i = 0; i < 5; i++)
{
    Console.WriteLine($"  actual {Format(testTargets[i]),8}  predicted {Format(predicted[i]),8}");
}

// y = 1000 + 300 sin(x0) + 100 x1 x2 + 50 x3² + 150 tanh(x4)
static double Truth(ReadOnlySpan<float> x) =>
    1000 + 300 * Math.Sin(x[0]) + 100 * x[1] * x[2] + 50 * x[3] * x[3] + 150 * Math.Tanh(x[4]);

static string Format(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
