namespace Backprop.Training;

/// <summary>How a <see cref="Trainer{T}"/> runs: epochs of (optionally shuffled) mini-batches.</summary>
/// <param name="Epochs">Passes over the training data (≥ 0). Default 50, the notebook's.</param>
/// <param name="BatchSize">Samples per step (≥ 1). Default 1: per-sample SGD, the notebook's. The last batch of an epoch may be smaller.</param>
/// <param name="Shuffle">A fresh permutation of the samples each epoch, drawn from the run's generator. Default on.</param>
public sealed record TrainerOptions(int Epochs = 50, int BatchSize = 1, bool Shuffle = true)
{
    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
    }
}
