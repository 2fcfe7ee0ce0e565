using System.Numerics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>A multilayer-perceptron regressor with the scikit-learn shape: <see cref="Fit"/>, <see cref="Predict"/>, <see cref="Score"/>.</summary>
/// <remarks>
/// One linear output trained with mean squared error (or Huber). Features and the target are standardized inside: the network
/// learns <c>(y − mean) / std</c> and <see cref="Predict"/> un-scales, so targets of any magnitude (prices, counts in the
/// thousands) train as well as targets of order 1 — scikit-learn's MLPRegressor, which trains on raw targets, can end with a
/// negative R² on those. See <see cref="MlpOptions"/> for the defaults.
/// </remarks>
public sealed class MlpRegressor<T> : MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the regressor with <paramref name="options"/>, or the defaults.</summary>
    public MlpRegressor(MlpRegressorOptions? options = null)
    {
        Options = options ?? new MlpRegressorOptions();
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public MlpRegressorOptions Options { get; }

    /// <summary>Mean of the training target (added back at prediction).</summary>
    public double TargetMean { get; private set; }

    /// <summary>Standard deviation of the training target (population; 1 for a constant target).</summary>
    public double TargetScale { get; private set; } = 1;

    /// <summary>Trains on <paramref name="features"/> <c>(N, F)</c> with one target per row.</summary>
    /// <returns>This regressor.</returns>
    /// <exception cref="BackpropException">Lengths that do not match, or a target that is not finite.</exception>
    public MlpRegressor<T> Fit(Matrix<T> features, double[] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != features.Rows)
        {
            throw new BackpropException($"Expected one target per row ({features.Rows}). Received: {targets.Length}.");
        }
        int bad = Array.FindIndex(targets, y => !double.IsFinite(y));
        if (bad >= 0)
        {
            throw new BackpropException($"Expected finite targets. Received: {targets[bad]} in row {bad}.");
        }
        double mean = targets.Length > 0 ? targets.Average() : 0;
        double std = targets.Length > 0 ? Math.Sqrt(targets.Select(y => (y - mean) * (y - mean)).Average()) : 0;
        TargetMean = mean;
        TargetScale = std > 0 ? std : 1;
        var scaled = new Matrix<T>(targets.Length, 1);
        for (int i = 0; i < targets.Length; i++)
        {
            scaled[i, 0] = T.CreateChecked((targets[i] - TargetMean) / TargetScale);
        }
        ILoss<T> loss = Options.HuberDelta is { } delta ? new Huber<T>(delta) : new MeanSquaredError<T>();
        Train(Options, new Dataset<T>(features, scaled), 1, _ => loss, EpochMetric<T>.RSquared(), DataSplit.Random);
        return this;
    }

    /// <summary>The predicted target of each row of <paramref name="features"/>, in the units of the training target.</summary>
    public double[] Predict(Matrix<T> features)
    {
        Matrix<T> outputs = Outputs(features);
        var result = new double[outputs.Rows];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = double.CreateChecked(outputs[i, 0]) * TargetScale + TargetMean;
        }
        return result;
    }

    /// <summary>R² of <see cref="Predict"/> against <paramref name="targets"/>.</summary>
    public double Score(Matrix<T> features, double[] targets) => Regression.RSquared(targets, Predict(features));
}
