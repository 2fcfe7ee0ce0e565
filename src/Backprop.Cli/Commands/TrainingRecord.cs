using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>The training options and history that <c>train --save</c> stores in the model file (shown by <c>info</c>), as JSON.</summary>
internal static class TrainingRecord
{
    /// <summary>The options of the run, snake_case keys.</summary>
    public static string OptionsJson(TrainSettings s, bool regression) => Write(w =>
    {
        w.WriteString("data", s.Data?.Path ?? $"embedded:{s.Dataset}");
        w.WriteNumber("epochs", s.Epochs);
        w.WriteNumber("batch_size", s.BatchSize);
        w.WriteNumber("learning_rate", s.LearningRate);
        w.WriteStartArray("hidden");
        foreach (int h in s.Hidden) w.WriteNumberValue(h);
        w.WriteEndArray();
        w.WriteString("activation", s.Activation.ToString().ToLowerInvariant());
        w.WriteString("optimizer", s.Optimizer.ToString().ToLowerInvariant());
        w.WriteString("init", s.Initialization.ToString().ToLowerInvariant());
        w.WriteString("task", regression ? "regression" : "classification");
        w.WriteString("loss", s.Loss ?? (regression ? "mse" : "cross-entropy"));
        w.WriteString("schedule", s.Schedule.ToString());
        w.WriteNumber("seed", s.Seed);
        w.WriteBoolean("shuffle", s.Shuffle);
        w.WriteString("precision", s.Double ? "f64" : "f32");
        w.WriteNumber("validation", s.Validation);
        if (s.EarlyStopping is { } patience) w.WriteNumber("early_stopping", patience);
        if (s.Momentum != 0) w.WriteNumber("momentum", s.Momentum);
        if (s.Nesterov) w.WriteBoolean("nesterov", true);
        if (s.WeightDecay is { } decay) w.WriteNumber("weight_decay", decay);
        if (s.Dropout != 0) w.WriteNumber("dropout", s.Dropout);
    });

    /// <summary>At most this many epochs are stored per curve: a long run keeps its model file small.</summary>
    public const int MaxStoredEpochs = 2_000;

    /// <summary>Per-epoch training and validation loss (every k-th epoch past <see cref="MaxStoredEpochs"/>), and the final figures.</summary>
    public static string HistoryJson(IReadOnlyList<EpochRecord> history) => Write(w =>
    {
        int stride = (history.Count + MaxStoredEpochs - 1) / MaxStoredEpochs;
        EpochRecord[] kept = history.Where((_, i) => stride <= 1 || i % stride == 0 || i == history.Count - 1).ToArray();
        w.WriteNumber("epochs", history.Count);
        if (stride > 1)
        {
            w.WriteNumbers("epoch", kept.Select(e => (double)e.Epoch));
        }
        w.WriteNumbers("loss", kept.Select(e => e.Loss));
        if (history.Any(e => e.ValidationLoss is not null)) w.WriteNumbers("val_loss", kept.Select(e => e.ValidationLoss ?? double.NaN));
        if (history.Count > 0)
        {
            w.WriteNumberOrNull("final_loss", history[^1].Loss);
            if (history[^1].ValidationLoss is { } validation) w.WriteNumberOrNull("final_val_loss", validation);
        }
    });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var text = new StringWriter();
        Json.WriteObject(text, body);
        return text.ToString().TrimEnd();
    }
}
