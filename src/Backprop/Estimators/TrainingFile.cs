using System.Globalization;
using System.Numerics;
using Backprop.Models;
using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>Writes a trained tabular model with everything a resumed run needs: the options, the history, and a run's state.</summary>
/// <remarks>
/// Entries beside the model's own (<see cref="TabularModel{T}"/>): <c>training</c> (the options), <c>history</c>,
/// <c>training.epochs_completed</c>, <c>training.state</c> (best epoch, early-stopping and schedule bookkeeping), the optimizer's
/// state (<see cref="ResumeState"/>) and the generator's. The same model, options, history and state always give the same bytes.
/// </remarks>
internal static class TrainingFile
{
    /// <summary>Everything but the layers and the model's own entries.</summary>
    public static ModelFileExtras Extras<T>(TabularTrainingOptions options, IReadOnlyList<EpochRecord> history, int? bestEpoch, RunSnapshot<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var extras = new ModelFileExtras();
        extras.Metadata[TrainingEntries.OptionsKey] = TrainingEntries.OptionsJson(options);
        extras.Metadata[TrainingEntries.HistoryKey] = TrainingEntries.HistoryJson(history, bestEpoch);
        extras.Metadata[ModelCheckpoint<T>.EpochsCompletedKey] = state.EpochsCompleted.ToString(CultureInfo.InvariantCulture);
        extras.Metadata[TrainingEntries.StateKey] = TrainingEntries.StateJson(state.State);
        ResumeState.AddOptimizer(extras, state.Optimizer);
        ResumeState.AddRng(extras, state.Rng);
        return extras;
    }

    /// <summary>Writes <paramref name="model"/> with the weights of <paramref name="state"/>, atomically; the model's own weights are left as they were.</summary>
    /// <exception cref="BackpropException">The file could not be written; a previous file at <paramref name="path"/> is intact.</exception>
    public static void Save<T>(string path, TabularModel<T> model, TabularTrainingOptions options, IReadOnlyList<EpochRecord> history, int? bestEpoch,
        RunSnapshot<T> state) where T : unmanaged, IFloatingPointIeee754<T> =>
        WithWeights(model, state, () => model.Save(path, Extras(options, history, bestEpoch, state)));

    /// <summary>The bytes <see cref="Save"/> would write.</summary>
    public static byte[] ToBytes<T>(TabularModel<T> model, TabularTrainingOptions options, IReadOnlyList<EpochRecord> history, int? bestEpoch,
        RunSnapshot<T> state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] bytes = [];
        WithWeights(model, state, () => bytes = model.ToBytes(Extras(options, history, bestEpoch, state)));
        return bytes;
    }

    // The snapshot's weights go into the network for the write and the network's come back after: called between epochs or
    // after training, never while a step runs.
    private static void WithWeights<T>(TabularModel<T> model, RunSnapshot<T> state, Action write) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] live = model.Network.Parameters;
        T[] kept = (T[])live.Clone();
        state.Parameters.CopyTo(live, 0);
        try
        {
            write();
        }
        finally
        {
            kept.CopyTo(live, 0);
        }
    }
}
