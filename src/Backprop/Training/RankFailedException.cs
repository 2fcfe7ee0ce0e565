namespace Backprop.Training;

/// <summary>
/// An error one rank of a data-parallel run meets alone, in the share of the data it reads by itself (a shard that changed
/// during the run, a row it cannot read): the others do not see it, so this rank must say it. Errors every rank meets alike
/// (an option, a file every rank reads) are plain <see cref="BackpropException"/>s, said once.
/// </summary>
public sealed class RankFailedException : BackpropException
{
    /// <summary>Creates the exception for rank <paramref name="rank"/> with a one-line <paramref name="message"/>.</summary>
    public RankFailedException(int rank, string message, Exception? innerException = null) : base(message, innerException!)
    {
        Rank = rank;
    }

    /// <summary>The rank that met the error.</summary>
    public int Rank { get; }
}
