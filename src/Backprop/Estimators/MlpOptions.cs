using Backprop.Layers;
using Backprop.Optimizers;

namespace Backprop.Estimators;

/// <summary>Settings shared by <see cref="MlpClassifier{T}"/> and <see cref="MlpRegressor{T}"/>; every default is chosen to work on a first try on tabular data.</summary>
/// <remarks>
/// How the defaults differ from scikit-learn's <c>MLPClassifier</c>/<c>MLPRegressor</c>:
/// <list type="bullet">
/// <item>features are standardized inside the estimator (scikit-learn leaves scaling to the user, and its MLP does poorly without it);</item>
/// <item>regression targets are standardized during training and un-scaled at prediction (scikit-learn's MLPRegressor trains on raw
/// targets and can end with a negative R² when they are large);</item>
/// <item>early stopping is on by default, on a held-out validation fraction of 0.1 (stratified for classification), and the
/// returned model always has the weights of its best validation epoch (scikit-learn: <c>early_stopping=False</c>);</item>
/// <item>batch size 32 (scikit-learn: <c>min(200, n)</c>); L2 penalty 0 (scikit-learn: <c>alpha=1e-4</c>); weights initialized like
/// PyTorch's <c>nn.Linear</c> (scikit-learn: Glorot uniform).</item>
/// </list>
/// Shared with scikit-learn: one hidden layer of 100 ReLU units, Adam with learning rate 1e-3, at most 200 epochs, patience 10.
/// </remarks>
public abstract record MlpOptions
{
    /// <summary>Widths of the hidden layers. Default one layer of 100 (scikit-learn's <c>hidden_layer_sizes=(100,)</c>).</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [100];

    /// <summary>Activation after each hidden layer. Default ReLU.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate. Default 1e-3 (the usual Adam default; for SGD try 0.01–0.1).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD momentum (ignored by Adam and AdamW). Default 0.9 (scikit-learn's).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD Nesterov momentum. Default on (scikit-learn's <c>nesterovs_momentum=True</c>).</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>Weight decay: L2 for SGD and Adam, decoupled for AdamW. Null (default): 0, or 0.01 for AdamW.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Samples per step. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Maximum passes over the training data. Default 200 (scikit-learn's <c>max_iter</c>).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Share of the training data held out to monitor validation loss, in <c>[0, 1)</c>; 0 monitors the training loss. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Epochs without validation improvement before stopping; null trains all <see cref="Epochs"/>. Default 10. The best epoch's weights are kept either way when set.</summary>
    public int? EarlyStopping { get; init; } = 10;

    /// <summary>Smallest decrease of the validation loss counted as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Dropout probability after each hidden activation. Default 0 (none).</summary>
    public double Dropout { get; init; }

    /// <summary>Weight initialization. Default PyTorch's.</summary>
    public Initialization Initialization { get; init; } = Initialization.PyTorch;

    /// <summary>Gradient clipping by global norm; null for none (default).</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Seed of the one generator (split, initialization, shuffling, dropout): same seed, same model. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public virtual void Validate()
    {
        ArgumentNullException.ThrowIfNull(HiddenLayers);
        if (HiddenLayers.Any(h => h <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(HiddenLayers), $"Expected positive layer widths. Received: [{string.Join(", ", HiddenLayers)}].");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Expected a validation fraction in [0, 1).");
        }
        if (EarlyStopping is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStopping), EarlyStopping, "Expected a patience ≥ 1, or null for no early stopping.");
        }
    }
}
