using Backprop.Layers;

namespace Backprop.Cli.Commands;

/// <summary>The options of one <c>backprop train</c> run, parsed and validated.</summary>
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
}
