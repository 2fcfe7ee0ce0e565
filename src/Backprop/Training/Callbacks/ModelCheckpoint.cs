using System.Globalization;
using System.Numerics;
using Backprop.Layers;
using Backprop.Serialization;

namespace Backprop.Training;

/// <summary>A training callback that keeps the latest and the best model on disk, each written atomically.</summary>
/// <remarks>
/// <para>
/// Every <see cref="EveryEpochs"/> epochs, and once more at the end of the run, the current model goes to the latest path.
/// Whenever an epoch's score (by default its loss; lower is better; NaN never counts as better) beats the best so far, the
/// model goes to the best path at once and its parameters are kept in memory (<see cref="BestParameters"/>), so an
/// interrupted run can still write the best model with <see cref="SaveBest"/>.
/// </para>
/// <para>
/// Each file carries the caller's extras for that moment (optimizer and generator state, preprocessing, …) and the metadata
/// entry <c>training.epochs_completed</c>, so a resumed run can continue its epoch count.
/// </para>
/// </remarks>
public sealed class ModelCheckpoint<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Metadata key of the number of epochs completed when the file was written.</summary>
    public const string EpochsCompletedKey = "training.epochs_completed";

    private readonly Func<TrainingContext<T>, ModelFileExtras>? _extras;
    private readonly Func<EpochRecord, double> _score;
    private int _lastSavedEpochs = -1;

    /// <summary>Creates the callback; at least one of <paramref name="latestPath"/> and <paramref name="bestPath"/> may be <see langword="null"/>.</summary>
    /// <param name="latestPath">Where the current model goes every <paramref name="everyEpochs"/> epochs and at the end; <see langword="null"/> for never.</param>
    /// <param name="bestPath">Where the best model goes whenever it improves; <see langword="null"/> to keep it in memory only.</param>
    /// <param name="everyEpochs">Epochs between writes of the latest model.</param>
    /// <param name="extras">Builds the extras for a file from the run's state; <see langword="null"/> for none.</param>
    /// <param name="score">An epoch's score, lower is better; <see langword="null"/> for the training loss.</param>
    public ModelCheckpoint(string? latestPath, string? bestPath, int everyEpochs = 1,
        Func<TrainingContext<T>, ModelFileExtras>? extras = null, Func<EpochRecord, double>? score = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyEpochs);
        LatestPath = latestPath;
        BestPath = bestPath;
        EveryEpochs = everyEpochs;
        _extras = extras;
        _score = score ?? (record => record.Loss);
    }

    /// <summary>Where the latest model is written, or <see langword="null"/>.</summary>
    public string? LatestPath { get; }

    /// <summary>Where the best model is written, or <see langword="null"/>.</summary>
    public string? BestPath { get; }

    /// <summary>Epochs between writes of the latest model.</summary>
    public int EveryEpochs { get; }

    /// <summary>The best epoch so far (from 0), or −1 before any epoch with a finite score.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The best score so far (positive infinity before any).</summary>
    public double BestScore { get; private set; } = double.PositiveInfinity;

    /// <summary>A copy of the parameters at the end of <see cref="BestEpoch"/>, or <see langword="null"/>.</summary>
    public T[]? BestParameters { get; private set; }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        double score = _score(record);
        if (score < BestScore)
        {
            BestScore = score;
            BestEpoch = record.Epoch;
            BestParameters ??= new T[context.Model.ParameterCount];
            context.Model.Parameters.CopyTo(BestParameters, 0);
            if (BestPath is not null)
            {
                ModelFile.Save(BestPath, context.Model, Extras(context, record.Epoch + 1));
            }
        }
        if (LatestPath is not null && (record.Epoch + 1) % EveryEpochs == 0)
        {
            SaveLatest(context, record.Epoch + 1);
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int completed = context.History.Count == 0 ? 0 : context.History[^1].Epoch + 1;
        // A diverged run's weights are NaN or infinite: the files written at its finite epochs stay as they are.
        if (LatestPath is not null && completed != _lastSavedEpochs && !context.Diverged)
        {
            SaveLatest(context, completed);
        }
    }

    /// <summary>Writes the best parameters seen (with <paramref name="extras"/>) to <paramref name="path"/>; for example when a run is interrupted.</summary>
    /// <remarks>Borrows <paramref name="model"/>'s parameter block for the write and restores it: call it only while nothing trains the model.</remarks>
    /// <returns>Whether there was a best model to write.</returns>
    public bool SaveBest(string path, Sequential<T> model, ModelFileExtras? extras = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (BestParameters is null)
        {
            return false;
        }
        if (BestParameters.Length != model.ParameterCount)
        {
            throw new ArgumentException($"Expected the model this checkpoint watched ({BestParameters.Length} parameters). Received: {model.ParameterCount}.", nameof(model));
        }
        T[] current = (T[])model.Parameters.Clone();
        BestParameters.CopyTo(model.Parameters, 0);
        try
        {
            var withEpoch = extras ?? new ModelFileExtras();
            withEpoch.Metadata.TryAdd(EpochsCompletedKey, (BestEpoch + 1).ToString(CultureInfo.InvariantCulture));
            ModelFile.Save(path, model, withEpoch);
        }
        finally
        {
            current.CopyTo(model.Parameters, 0);
        }
        return true;
    }

    private void SaveLatest(TrainingContext<T> context, int epochsCompleted)
    {
        ModelFile.Save(LatestPath!, context.Model, Extras(context, epochsCompleted));
        _lastSavedEpochs = epochsCompleted;
    }

    private ModelFileExtras Extras(TrainingContext<T> context, int epochsCompleted)
    {
        ModelFileExtras extras = _extras?.Invoke(context) ?? new ModelFileExtras();
        extras.Metadata.TryAdd(EpochsCompletedKey, epochsCompleted.ToString(CultureInfo.InvariantCulture));
        return extras;
    }
}
