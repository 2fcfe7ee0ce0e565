using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>The state of a run, as the callbacks see it.</summary>
public sealed class TrainingContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingContext(Sequential<T> model, Optimizer<T> optimizer, TrainerOptions options, int batchesPerEpoch)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options;
        BatchesPerEpoch = batchesPerEpoch;
    }

    /// <summary>The model being trained.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The optimizer (its learning rate may be changed between steps).</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The run's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The current epoch, from 0.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Epochs completed so far.</summary>
    public List<EpochRecord> History { get; } = [];

    /// <summary>The validation data of the run, or null when it has none.</summary>
    public Data.Dataset<T>? Validation { get; internal set; }

    /// <summary>Set by a callback to end the run after the current epoch.</summary>
    public bool StopRequested { get; set; }
}
