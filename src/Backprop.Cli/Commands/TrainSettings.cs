using Backprop.Layers;
using Backprop.Optimizers;

namespace Backprop.Cli.Commands;

/// <summary>The options of one <c>backprop train</c> run, parsed and validated.</summary>
/// <remarks>Everything after <see cref="Initialization"/> has a default equal to the notebook's behaviour (or to "off").</remarks>
internal sealed record TrainSettings(
    string Dataset,
    int Epochs,
    double LearningRate,
    int[] Hidden,
    int BatchSize,
    ulong Seed,
    bool Shuffle,
    bool Double,
    Initialization Initialization,
    DataSettings? Data = null)
{
    /// <summary>The seed used when none is given.</summary>
    public const ulong DefaultSeed = 0;

    /// <summary>Activation after each hidden layer (<c>--activation</c>).</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary><c>--optimizer</c>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>SGD momentum (<c>--momentum</c>).</summary>
    public double Momentum { get; init; }

    /// <summary>SGD Nesterov momentum (<c>--nesterov</c>).</summary>
    public bool Nesterov { get; init; }

    /// <summary><c>--weight-decay</c>; null: the optimizer's default.</summary>
    public double? WeightDecay { get; init; }

    /// <summary><c>--clip-norm</c>; null: no clipping.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>The learning-rate schedule (<c>--schedule</c>), already validated.</summary>
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Constant;

    /// <summary><c>--loss</c>; null: cross-entropy for classification, MSE for regression.</summary>
    public string? Loss { get; init; }

    /// <summary>Huber's δ in standardized target units (<c>--huber-delta</c>).</summary>
    public double HuberDelta { get; init; } = 1;

    /// <summary><c>--label-smoothing</c>.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary><c>--dropout</c> probability after each hidden activation.</summary>
    public double Dropout { get; init; }

    /// <summary>Held-out fraction (<c>--validation</c>); 0: none.</summary>
    public double Validation { get; init; }

    /// <summary><c>--early-stopping</c> patience; null: off.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary><c>--min-delta</c>.</summary>
    public double MinDelta { get; init; }

    /// <summary><c>--class-weight balanced</c>.</summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary><c>--class-weight w0,w1,…</c>; null: none.</summary>
    public double[]? ClassWeights { get; init; }

    /// <summary><c>--task</c>.</summary>
    public bool Regression { get; init; }

    /// <summary>Where to save the trained model (<c>--save</c>), or <see langword="null"/>.</summary>
    public string? Save { get; init; }

    /// <summary><c>--task classification</c>: classes even for a numeric target with many values.</summary>
    public bool Classification { get; init; }

    /// <summary>A model file to continue training from (<c>--resume</c>), or <see langword="null"/>.</summary>
    public string? Resume { get; init; }

    /// <summary>Write the current and the best model every this many epochs (<c>--checkpoint-every</c>), or <see langword="null"/>.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>A separate labelled CSV file to validate on (<c>--validation-data</c>), or <see langword="null"/>.</summary>
    public string? ValidationData { get; init; }

    /// <summary>Print only the final result (<c>--quiet</c>).</summary>
    public bool Quiet { get; init; }

    /// <summary>Print one JSON object on stdout and nothing else (<c>--json</c>).</summary>
    public bool Json { get; init; }

    /// <summary>Draw the training curves to this .png or .svg file (<c>--plot</c>), or <see langword="null"/>.</summary>
    public string? Plot { get; init; }

    /// <summary>Stdout is a terminal: draw a live progress bar for long runs.</summary>
    public bool Interactive { get; init; }
}
