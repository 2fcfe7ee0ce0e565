using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>
/// Training rows delivered batch by batch, epoch after epoch, for data that is not held as a <see cref="Data.Dataset{T}"/>: for
/// example rows streamed from a file larger than memory through a shuffle buffer (<see cref="Trainer{T}.Fit(IBatchSource{T}, Rng, Data.Dataset{T}?, CancellationToken)"/>).
/// </summary>
/// <typeparam name="T">The precision of the batches.</typeparam>
public interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per epoch (sets the batches of an epoch that progress displays count).</summary>
    long Count { get; }

    /// <summary>Model inputs per row.</summary>
    int FeatureCount { get; }

    /// <summary>Target columns per row, as the loss reads them.</summary>
    int TargetColumns { get; }

    /// <summary>Whether rows carry a weight (the loss's weighted mean).</summary>
    bool Weighted { get; }

    /// <summary>Starts epoch <paramref name="epoch"/> from the first row.</summary>
    /// <param name="epoch">The epoch, counted from 0 over the whole run.</param>
    /// <param name="rng">Draws the epoch's order (the run's generator, so that a resumed run orders rows as the run it continues);
    /// <see langword="null"/> for the rows in their stored order.</param>
    /// <param name="cancellationToken">Ends reading ahead when the run is canceled.</param>
    void BeginEpoch(int epoch, Rng? rng, CancellationToken cancellationToken);

    /// <summary>Writes the epoch's next rows, at most <paramref name="rows"/>, and returns how many; 0 when the epoch is over.</summary>
    /// <param name="inputs">(rows, <see cref="FeatureCount"/>), row-major.</param>
    /// <param name="targets">(rows, <see cref="TargetColumns"/>), row-major.</param>
    /// <param name="weights">(rows) when <see cref="Weighted"/>; empty otherwise.</param>
    /// <param name="rows">The batch size.</param>
    int Next(Span<T> inputs, Span<T> targets, Span<T> weights, int rows);

    /// <summary>Ends the epoch (also when it ends early, canceled or diverged): stops reading ahead and releases what it held.</summary>
    void EndEpoch();
}
