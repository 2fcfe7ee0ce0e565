using System.Numerics;
using Backprop.Data;
using Backprop.Metrics;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Estimators;

/// <summary>A multilayer-perceptron regressor with the scikit-learn shape: <see cref="Fit(Matrix{T}, double[])"/>, <see cref="Predict(Matrix{T})"/>, <see cref="Score"/>, <see cref="MlpEstimator{T}.Save"/>, <see cref="Load"/>.</summary>
/// <remarks>
/// One linear output trained with mean squared error (or Huber). Features and the target are standardized inside, with the
/// training rows' statistics: the network learns <c>(y − mean) / std</c> and <see cref="Predict(Matrix{T})"/> un-scales, so targets of
/// any magnitude (prices, counts in the thousands) train as well as targets of order 1 — scikit-learn's MLPRegressor, which
/// trains on raw targets, can end with a negative R² on those. See <see cref="TabularTrainingOptions"/> for the defaults.
/// </remarks>
public sealed class MlpRegressor<T> : MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the regressor with <paramref name="options"/>, or the defaults.</summary>
    /// <exception cref="OptionException">An option is out of range, contradicts another, or is for a classification.</exception>
    public MlpRegressor(TabularTrainingOptions? options = null) : base(options, TaskKind.Regression) { }

    /// <summary>Mean of the training target (added back at prediction).</summary>
    public double TargetMean => Model.TargetScaling.Mean;

    /// <summary>Standard deviation of the training target (population; 1 for a constant target).</summary>
    public double TargetScale => Model.TargetScaling.Scale;

    /// <summary>Trains on <paramref name="features"/> <c>(N, F)</c> with one target per row.</summary>
    /// <returns>This regressor.</returns>
    /// <exception cref="BackpropException">Lengths that do not match, a value that is not finite, or divergence.</exception>
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
            // In a table a missing target skips its row; in an array it is more likely a mistake.
            throw new BackpropException($"Expected finite targets. Received: {targets[bad]} in row {bad}.");
        }
        FitTable(TableOf(features, r => targets[r]));
        return this;
    }

    /// <summary>Trains on a CSV file: the target is <see cref="TabularTrainingOptions.Target"/> (default the last column).</summary>
    /// <returns>This regressor.</returns>
    /// <exception cref="BackpropException">The file is unreadable or unusable, or training diverged.</exception>
    /// <exception cref="OptionException">An option does not fit the data.</exception>
    public MlpRegressor<T> Fit(string csvPath)
    {
        FitFile(csvPath);
        return this;
    }

    /// <summary>Trains on a table, validating on <paramref name="validation"/> when given.</summary>
    /// <returns>This regressor.</returns>
    /// <exception cref="BackpropException">The table is unusable, or training diverged.</exception>
    public MlpRegressor<T> Fit(Table table, Table? validation = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        FitTable(table, validation);
        return this;
    }

    /// <summary>Loads a regressor saved by <see cref="MlpEstimator{T}.Save"/> or trained by <c>backprop train --save</c>.</summary>
    /// <exception cref="BackpropException">The file is missing, malformed, or holds a classification model.</exception>
    public static MlpRegressor<T> Load(string path)
    {
        var regressor = new MlpRegressor<T>();
        regressor.LoadFile(path, TaskKind.Regression);
        return regressor;
    }

    /// <summary>The predicted target of each row of <paramref name="features"/>, in the units of the training target.</summary>
    public double[] Predict(Matrix<T> features) => Predicted(features, Model.PredictValues, table => Model.PredictValues(table));

    /// <summary>The predicted target of each row of a table with the training columns (by name).</summary>
    public double[] Predict(Table table) => Model.PredictValues(table);

    /// <summary>R² of <see cref="Predict(Matrix{T})"/> against <paramref name="targets"/>.</summary>
    public double Score(Matrix<T> features, double[] targets) => Regression.RSquared(targets, Predict(features));

    private protected override void Loaded() { }
}
