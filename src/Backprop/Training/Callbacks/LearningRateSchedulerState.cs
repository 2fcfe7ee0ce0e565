namespace Backprop.Training;

/// <summary>What a <see cref="LearningRateScheduler{T}"/> counts for a plateau schedule, saved with a model so a resumed run goes on from it.</summary>
/// <param name="Cuts">Cuts of the rate so far: the rate is <c>base · factor^Cuts</c>.</param>
/// <param name="Best">The lowest monitored loss so far, or <see langword="null"/> before the first epoch.</param>
/// <param name="EpochsWithoutImprovement">Epochs since <paramref name="Best"/> (reset by a cut).</param>
public sealed record LearningRateSchedulerState(int Cuts = 0, double? Best = null, int EpochsWithoutImprovement = 0);
