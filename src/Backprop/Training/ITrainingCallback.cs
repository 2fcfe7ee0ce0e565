using System.Numerics;

namespace Backprop.Training;

/// <summary>Hooks into a <see cref="Trainer{T}"/> run: progress display, early stopping, schedules and checkpoints all use these.</summary>
/// <remarks>Every method has an empty default, so a callback implements only what it needs.</remarks>
public interface ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin(TrainingContext<T> context) { }

    /// <summary>Before each epoch (learning-rate schedules set the epoch's rate here); <see cref="TrainingContext{T}.Epoch"/> is already set.</summary>
    void OnEpochBegin(TrainingContext<T> context) { }

    /// <summary>After each optimizer step.</summary>
    /// <param name="context">The run.</param>
    /// <param name="batch">Index of the batch within the epoch.</param>
    /// <param name="loss">The batch's mean loss.</param>
    void OnBatchEnd(TrainingContext<T> context, int batch, double loss) { }

    /// <summary>After each epoch; set <see cref="TrainingContext{T}.StopRequested"/> to end the run.</summary>
    void OnEpochEnd(TrainingContext<T> context, EpochRecord record) { }

    /// <summary>After the last epoch (also when the run was stopped early).</summary>
    void OnTrainEnd(TrainingContext<T> context) { }
}
