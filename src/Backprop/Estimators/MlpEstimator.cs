using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>What <see cref="MlpClassifier{T}"/> and <see cref="MlpRegressor{T}"/> share: feature scaling, the network, the training run.</summary>
/// <remarks>
/// Once fitted, the prediction methods (<c>Predict</c>, <c>PredictProba</c>, <c>Score</c>) may be called from many threads at once,
/// as <see cref="Sequential{T}.Predict"/> may; <c>Fit</c> must not run at the same time on the same estimator. Different estimators
/// share no training state and may be fitted concurrently.
/// </remarks>
public abstract class MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Sequential<T>? _model;
    private StandardScaler<T>? _scaler;

    /// <summary>The trained network (outputs: logits or standardized targets).</summary>
    /// <exception cref="InvalidOperationException">Before <c>Fit</c>.</exception>
    public Sequential<T> Model => _model ?? throw NotFitted();

    /// <summary>The feature scaler fitted on the training data.</summary>
    /// <exception cref="InvalidOperationException">Before <c>Fit</c>.</exception>
    public StandardScaler<T> Scaler => _scaler ?? throw NotFitted();

    /// <summary>One record per epoch of the last <c>Fit</c>: training loss, validation loss and the main metric.</summary>
    public IReadOnlyList<EpochRecord> History { get; private set; } = [];

    /// <summary>The epoch whose weights the model holds (the best validation epoch when early stopping is on), or null before <c>Fit</c>.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>The model's raw outputs <c>(N, O)</c> for <paramref name="features"/> <c>(N, F)</c>, after scaling them.</summary>
    protected Matrix<T> Outputs(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != Scaler.Mean.Length)
        {
            throw new ArgumentException($"Expected {Scaler.Mean.Length} feature columns, as in training. Received: {features.Columns}.", nameof(features));
        }
        return Model.Predict(Scaler.Transform(features));
    }

    /// <summary>Scales the features, holds out validation data, builds and trains the network.</summary>
    /// <param name="options">The run's settings.</param>
    /// <param name="data">Unscaled features with ready targets.</param>
    /// <param name="outputs">Network outputs.</param>
    /// <param name="loss">Builds the loss from the training part (class weights are computed on it).</param>
    /// <param name="metric">The main metric recorded in <see cref="History"/>.</param>
    /// <param name="split">How to hold out validation data (stratified or random).</param>
    protected void Train(MlpOptions options, Dataset<T> data, int outputs, Func<Dataset<T>, ILoss<T>> loss, EpochMetric<T> metric,
        Func<Dataset<T>, double, Rng, (Dataset<T>, Dataset<T>)> split)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Count == 0)
        {
            throw new BackpropException("Expected at least one training sample. Received: none.");
        }
        var rng = new Rng(options.Seed);
        StandardScaler<T> scaler = StandardScaler<T>.Fit(data.Features);
        Dataset<T> scaled = data.WithFeatures(scaler.Transform(data.Features));
        Dataset<T> train = scaled;
        Dataset<T>? validation = null;
        if (options.ValidationFraction > 0 && data.Count >= 2)
        {
            (train, validation) = split(scaled, options.ValidationFraction, rng);
        }

        Sequential<T> model = Mlp.Create<T>(data.FeatureCount, options.HiddenLayers, outputs, options.Activation, options.Initialization, options.Dropout);
        model.ResetParameters(rng);
        Optimizer<T> optimizer = OptimizerFactory.Create<T>(options.Optimizer, options.LearningRate, options.Momentum, options.Nesterov, options.WeightDecay);
        var trainer = new Trainer<T>(model, loss(train), optimizer, new TrainerOptions(options.Epochs, options.BatchSize, Shuffle: true, options.ClipNorm))
        {
            Metric = metric,
        };
        EarlyStopping<T>? stopping = options.EarlyStopping is { } patience ? new EarlyStopping<T>(patience, options.MinDelta) : null;
        if (stopping is not null)
        {
            trainer.Callbacks.Add(stopping);
        }
        History = trainer.Fit(train, rng, validation);
        BestEpoch = stopping?.BestEpoch ?? History.Count - 1;
        _model = model;
        _scaler = scaler;
    }

    private static InvalidOperationException NotFitted() => new("The estimator is not fitted yet: call Fit first.");
}
