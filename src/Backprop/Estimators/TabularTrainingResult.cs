using System.Numerics;
using Backprop.Data;
using Backprop.Models;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>What a <see cref="TabularTrainer{T}"/> run gives back: the trained model, its history, and the data it saw.</summary>
public sealed class TabularTrainingResult<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<EpochRecord> _wholeHistory;
    private readonly RunSnapshot<T> _state;

    internal TabularTrainingResult(TabularModel<T> model, TabularTrainingOptions options, IReadOnlyList<EpochRecord> history,
        IReadOnlyList<EpochRecord> wholeHistory, int initialEpoch, RunSnapshot<T> state, EarlyStopping<T>? stopping, Dataset<T> trainingData,
        Dataset<T>? validationData, (int Epoch, double? Loss)? best = null, int[]? folds = null)
    {
        Folds = folds;
        Model = model;
        Options = options;
        History = history;
        _wholeHistory = wholeHistory;
        InitialEpoch = initialEpoch;
        _state = state;
        BestEpoch = stopping is null ? best?.Epoch : stopping.BestEpoch;
        BestLoss = stopping is null ? best?.Loss : stopping.BestLoss;
        StoppedEpoch = stopping?.StoppedEpoch;
        TrainingData = trainingData;
        ValidationData = validationData;
    }

    /// <summary>The trained model: with early stopping or <see cref="TabularTrainingOptions.RestoreBest"/>, the best epoch's; otherwise the last epoch's.</summary>
    public TabularModel<T> Model { get; }

    /// <summary>
    /// The run's options with every automatic choice made (task, loss, initialization): what the model file records, and what a
    /// resumed run starts from.
    /// </summary>
    public TabularTrainingOptions Options { get; }

    /// <summary>One record per epoch of this run (a resumed run's epochs are numbered on from <see cref="InitialEpoch"/>).</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>Epochs the model had trained before this run (0 unless resumed).</summary>
    public int InitialEpoch { get; }

    /// <summary>Epochs the returned model has trained (with early stopping, up to its best epoch).</summary>
    public int EpochsCompleted => _state.EpochsCompleted;

    /// <summary>With early stopping or <see cref="TabularTrainingOptions.RestoreBest"/>, the epoch whose weights the model holds (−1 when no epoch improved); otherwise <see langword="null"/>.</summary>
    public int? BestEpoch { get; }

    /// <summary>With early stopping, that epoch's monitored loss (validation loss, or training loss without validation data).</summary>
    public double? BestLoss { get; }

    /// <summary>With early stopping, the epoch after which it stopped the run, or <see langword="null"/> if the run used all its epochs.</summary>
    public int? StoppedEpoch { get; }

    /// <summary>
    /// With <see cref="TabularTrainingOptions.CrossFit"/>, the member that held out each training row (by <see cref="TrainingData"/>'s
    /// row); otherwise <see langword="null"/>. <see cref="TabularModel{T}.PredictOutOfFoldProbabilities"/> and
    /// <see cref="TabularModel{T}.PredictOutOfFoldValues"/> take it, for the out-of-fold estimate of the model's accuracy.
    /// </summary>
    public IReadOnlyList<int>? Folds { get; }

    /// <summary>The training rows, encoded: features as the network sees them, targets as class indices or values in the target's units.</summary>
    public Dataset<T> TrainingData { get; }

    /// <summary>The validation rows, encoded alike, or <see langword="null"/> without validation data.</summary>
    public Dataset<T>? ValidationData { get; }

    /// <summary>
    /// Saves the model with everything needed to resume it (options, history, optimizer, generator and schedule state),
    /// atomically; <c>backprop info</c>, <c>predict</c>, <c>evaluate</c>, <c>export</c> and <c>train --resume</c> read the file.
    /// </summary>
    /// <exception cref="BackpropException">The file could not be written; a previous file at <paramref name="path"/> is intact.</exception>
    public void Save(string path) => TrainingFile.Save(path, Model, Options, _wholeHistory, BestEpoch, _state);

    /// <summary>The bytes <see cref="Save"/> writes.</summary>
    public byte[] ToBytes() => TrainingFile.ToBytes(Model, Options, _wholeHistory, BestEpoch, _state);
}
