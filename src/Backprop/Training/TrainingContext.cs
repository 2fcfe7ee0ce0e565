using System.Numerics;
using Backprop.Optimizers;
using Backprop.Layers;

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

    /// <summary>The main metric recorded after every epoch (<see cref="Trainer{T}.Metric"/>), or null.</summary>
    public EpochMetric<T>? Metric { get; internal set; }

    /// <summary>The validation data of the run, or null when it has none.</summary>
    public Data.Dataset<T>? Validation { get; internal set; }

    /// <summary>Set by a callback to end the run after the current epoch.</summary>
    public bool StopRequested { get; set; }

    /// <summary>
    /// Set when the run ends because the loss or a weight became NaN or infinite, before <see cref="ITrainingCallback{T}.OnTrainEnd"/>:
    /// the model's current weights are then not worth keeping.
    /// </summary>
    public bool Diverged { get; internal set; }
}
