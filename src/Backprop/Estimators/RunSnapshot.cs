using System.Numerics;
using Backprop.Layers;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Estimators;

/// <summary>
/// A run's state at the end of an epoch, copied: the weights, the optimizer's state and step count, the generator, and the
/// bookkeeping (best epoch, early stopping, schedule). A model file written from it continues exactly as the run would have
/// from that epoch.
/// </summary>
internal sealed class RunSnapshot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>An empty snapshot shaped for <paramref name="network"/>; <paramref name="optimizer"/> is a twin of the run's (same kind and settings) to hold the copied state.</summary>
    public RunSnapshot(Sequential<T> network, Optimizer<T> optimizer)
    {
        Parameters = new T[network.ParameterCount];
        Optimizer = optimizer;
    }

    /// <summary>The weights.</summary>
    public T[] Parameters { get; }

    /// <summary>An optimizer of the run's kind holding the copied state and step count.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The generator, as it was.</summary>
    public Rng Rng { get; } = new(0);

    /// <summary>Epochs completed when it was taken.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>The bookkeeping.</summary>
    public TrainingStateEntry State { get; private set; } = new(-1, null, null, null);

    /// <summary>Copies the run's current state into this snapshot (allocating only the first time the optimizer has state).</summary>
    public void Capture(Sequential<T> network, Optimizer<T> optimizer, Rng rng, int epochsCompleted, TrainingStateEntry state)
    {
        network.Parameters.CopyTo(Parameters, 0);
        if (Optimizer.State.Length != optimizer.State.Length)
        {
            Optimizer.State = new T[optimizer.State.Length];
        }
        optimizer.State.CopyTo(Optimizer.State, 0);
        Optimizer.StepCount = optimizer.StepCount;
        Rng.SetState(rng.GetState());
        EpochsCompleted = epochsCompleted;
        State = state;
    }
}
