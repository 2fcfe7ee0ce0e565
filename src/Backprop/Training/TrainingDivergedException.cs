namespace Backprop.Training;

/// <summary>Training stopped because the loss or a weight became NaN or infinite.</summary>
/// <remarks>
/// Thrown by <see cref="Trainer{T}.Fit(Data.Dataset{T}, Tensors.Rng, Data.Dataset{T}?, T[], CancellationToken)"/> after the callbacks' <c>OnTrainEnd</c> has run, so early
/// stopping has already put back the best weights seen; a checkpoint callback writes nothing more (<see cref="TrainingContext{T}.Diverged"/>).
/// </remarks>
public sealed class TrainingDivergedException : BackpropException
{
    /// <summary>Creates the exception for a divergence at <paramref name="epoch"/>, <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, string message) : base(message)
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The epoch (from 0) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 0) at which training diverged.</summary>
    public int Batch { get; }
}
