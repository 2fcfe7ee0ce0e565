namespace Backprop.Training;

/// <summary>
/// The processes of a data-parallel run (the ranks of an MPI job), as <see cref="Trainer{T}"/> needs them: each rank holds the
/// same model, takes its share of every batch (of the same data, or of its own shards), and the ranks' gradients are summed
/// in rank order, so that every rank takes the same optimizer step and the result does not depend on timing.
/// </summary>
/// <remarks>
/// The core library declares what it needs and implements nothing native: the MPI implementation lives in the optional
/// <c>Backprop.Mpi</c> assembly. A call blocks until every rank has made it; a rank that fails ends the job.
/// </remarks>
public interface ICollective
{
    /// <summary>This process's rank, from 0.</summary>
    int Rank { get; }

    /// <summary>The number of ranks.</summary>
    int Size { get; }

    /// <summary>Every rank's <paramref name="local"/> (the same length on each), rank after rank, into <paramref name="all"/> (<see cref="Size"/> × that length).</summary>
    void AllGather(ReadOnlySpan<float> local, Span<float> all);

    /// <inheritdoc cref="AllGather(ReadOnlySpan{float}, Span{float})"/>
    void AllGather(ReadOnlySpan<double> local, Span<double> all);
}
