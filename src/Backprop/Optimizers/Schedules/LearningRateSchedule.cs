using System.Numerics;
using Backprop.Training;

namespace Backprop.Optimizers;

/// <summary>Base of the epoch-wise learning-rate schedules: sets <see cref="Optimizer{T}.LearningRate"/> before every epoch.</summary>
/// <remarks>
/// The optimizer's learning rate at the start of the run is the schedule's initial rate; a subclass writes only
/// <see cref="LearningRateAt"/>. Stepped once per epoch, like PyTorch's <c>lr_scheduler</c>s stepped after each epoch.
/// </remarks>
public abstract class LearningRateSchedule<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The learning rate at the start of the run.</summary>
    public double InitialLearningRate { get; private set; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context) => InitialLearningRate = double.CreateChecked(context.Optimizer.LearningRate);

    /// <inheritdoc/>
    public void OnEpochBegin(TrainingContext<T> context) =>
        context.Optimizer.LearningRate = T.CreateChecked(LearningRateAt(context.Epoch, InitialLearningRate, context.Options.Epochs));

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0).</summary>
    /// <param name="epoch">The epoch about to run.</param>
    /// <param name="initial">The rate at the start of the run.</param>
    /// <param name="epochs">The run's epoch limit.</param>
    public abstract double LearningRateAt(int epoch, double initial, int epochs);
}
