namespace Backprop.Training;

/// <summary>How a <see cref="Trainer{T}"/> runs: epochs of (optionally shuffled) mini-batches.</summary>
/// <param name="Epochs">Passes over the training data (≥ 0). Default 50, the notebook's.</param>
/// <param name="BatchSize">Samples per step (≥ 1). Default 1: per-sample SGD, the notebook's. The last batch of an epoch may be smaller.</param>
/// <param name="Shuffle">A fresh permutation of the samples each epoch, drawn from the run's generator. Default on.</param>
/// <param name="ClipNorm">
/// When set (&gt; 0), the gradient of all parameters together is rescaled before each step so that its L2 norm is at most this
/// value: <c>g ← g · min(1, max / (‖g‖ + 1e-6))</c>, PyTorch's <c>clip_grad_norm_</c>. Default null: no clipping.
/// </param>
public sealed record TrainerOptions(int Epochs = 50, int BatchSize = 1, bool Shuffle = true, double? ClipNorm = null)
{
    /// <summary>Number of the first epoch, 0 by default; a resumed run continues the count. The run trains <see cref="Epochs"/> epochs from there.</summary>
    public int InitialEpoch { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(InitialEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        if (ClipNorm is { } clip && (!(clip > 0) || !double.IsFinite(clip)))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), clip, "Expected a finite gradient norm limit > 0.");
        }
    }
}
