using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>The training entries of a model file: <c>training</c> (the options), <c>history</c> and <c>training.state</c>, as JSON.</summary>
internal static class TrainingEntries
{
    /// <summary>Metadata key of the options (<see cref="TabularTrainingOptions"/>).</summary>
    public const string OptionsKey = "training";

    /// <summary>Metadata key of the loss curves.</summary>
    public const string HistoryKey = "history";

    /// <summary>Metadata key of the best epoch, early-stopping and scheduler bookkeeping.</summary>
    public const string StateKey = "training.state";

    /// <summary>The version of the <c>training</c> entry this library writes, and the newest it reads.</summary>
    public const int OptionsVersion = 8;

    /// <summary>At most this many epochs are stored per curve: a long run keeps its model file small.</summary>
    public const int MaxStoredEpochs = 2_000;

    private static readonly JsonDocumentOptions Limits = new() { MaxDepth = 8 };

    /// <summary>The options as one line of JSON, <c>{"version":1,"data":…,…}</c>.</summary>
    /// <remarks>
    /// Written by hand, key for key what <see cref="TrainingJsonContext"/> writes (a test holds the two equal): every run that
    /// saves a model or prints <c>--json</c> writes this entry, and the serializer's generated metadata for 47 options is some
    /// 1,100 generic methods for the JIT to compile at first use, about 0.2 s of a small file's 0.5 s run. Reading a file keeps
    /// the generated reader (<see cref="ParseOptions"/>), with the defaults of earlier versions.
    /// </remarks>
    public static string OptionsJson(TabularTrainingOptions options) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", OptionsVersion);
        WriteOptions(writer, options);
        writer.WriteEndObject();
    });

    // The properties of the options in declaration order, as the generated serializer names and writes them.
    private static void WriteOptions(Utf8JsonWriter w, TabularTrainingOptions o)
    {
        String(w, "data", o.Data);
        String(w, "dataset", o.Dataset);
        String(w, "delimiter", o.Delimiter is char d ? DelimiterJsonConverter.Name(d) : null);
        String(w, "decimal", o.Decimal?.ToString());
        String(w, "validation_data", o.ValidationData);
        String(w, "target", o.Target);
        Strings(w, "features", o.Features);
        Strings(w, "drop", o.Drop);
        Strings(w, "categorical", o.Categorical);
        Strings(w, "keep", o.Keep);
        String(w, "date_order", o.DateOrder is { } order ? OptionNames.Name(order) : null);
        w.WriteString("scaling", OptionNames.Name(o.Scaling));
        w.WriteString("missing", OptionNames.Name(o.Missing));
        String(w, "task", o.Task is { } task ? OptionNames.Name(task) : null);
        w.WriteNumber("validation", o.ValidationFraction);
        Boolean(w, "stream", o.Stream);
        if (o.StreamMemory is long memory) w.WriteNumber("stream_memory", memory); else w.WriteNull("stream_memory");
        w.WriteNumber("seed", o.Seed);
        w.WriteStartArray("hidden");
        foreach (int width in o.HiddenLayers) w.WriteNumberValue(width);
        w.WriteEndArray();
        String(w, "activation", o.Activation is { } activation ? OptionNames.Name(activation) : null);
        w.WriteBoolean("feature_scale", o.FeatureScale);
        w.WriteString("parametrization", OptionNames.Name(o.Parametrization));
        w.WriteBoolean("zero_output_layer", o.ZeroOutputLayer);
        w.WriteNumber("embedding", (int)o.Embedding);
        w.WriteNumber("piecewise_linear_bins", o.PiecewiseLinearBins);
        w.WriteNumber("piecewise_linear_rows_per_input", o.PiecewiseLinearRowsPerInput);
        w.WriteNumber("members", o.Members);
        Boolean(w, "cross_fit", o.CrossFit);
        w.WriteNumber("dropout", o.Dropout);
        String(w, "init", o.Initialization is { } initialization ? OptionNames.Name(initialization) : null);
        String(w, "loss", o.Loss is { } loss ? OptionNames.Name(loss) : null);
        w.WriteNumber("huber_delta", o.HuberDelta);
        Number(w, "label_smoothing", o.LabelSmoothing);
        Boolean(w, "calibrate", o.Calibrate);
        w.WriteBoolean("balanced_class_weights", o.BalancedClassWeights);
        if (o.ClassWeights is { } weights)
        {
            w.WriteStartArray("class_weights");
            foreach (double weight in weights) w.WriteNumberValue(weight);
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("class_weights");
        }
        w.WriteString("optimizer", OptionNames.Name(o.Optimizer));
        Number(w, "learning_rate", o.LearningRate);
        w.WriteNumber("beta2", o.Beta2);
        w.WriteNumber("momentum", o.Momentum);
        w.WriteBoolean("nesterov", o.Nesterov);
        Number(w, "weight_decay", o.WeightDecay);
        Number(w, "clip_norm", o.ClipNorm);
        w.WriteString("schedule", o.Schedule.ToString());
        w.WriteNumber("epochs", o.Epochs);
        w.WriteNumber("batch_size", o.BatchSize);
        w.WriteBoolean("shuffle", o.Shuffle);
        if (o.EarlyStopping is int patience) w.WriteNumber("early_stopping", patience); else w.WriteNull("early_stopping");
        w.WriteNumber("early_stopping_steps", o.EarlyStoppingSteps);
        w.WriteBoolean("restore_best", o.RestoreBest);
        w.WriteNumber("min_delta", o.MinDelta);
    }

    private static void String(Utf8JsonWriter w, string key, string? value)
    {
        if (value is null) w.WriteNull(key); else w.WriteString(key, value);
    }

    private static void Strings(Utf8JsonWriter w, string key, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(key);
            return;
        }
        w.WriteStartArray(key);
        foreach (string value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void Boolean(Utf8JsonWriter w, string key, bool? value)
    {
        if (value is bool b) w.WriteBoolean(key, b); else w.WriteNull(key);
    }

    private static void Number(Utf8JsonWriter w, string key, double? value)
    {
        if (value is double v) w.WriteNumber(key, v); else w.WriteNull(key);
    }

    /// <summary>The options as the generated serializer writes them, with the version first: what <see cref="OptionsJson"/> must equal.</summary>
    internal static string GeneratedOptionsJson(TabularTrainingOptions options)
    {
        JsonObject body = JsonSerializer.SerializeToNode(options, TrainingJsonContext.Default.TabularTrainingOptions)!.AsObject();
        var entry = new JsonObject { ["version"] = OptionsVersion };
        foreach ((string key, JsonNode? value) in body.ToArray())
        {
            body.Remove(key);
            entry[key] = value;
        }
        return Write(writer => entry.WriteTo(writer));
    }

    /// <summary>Reads the options of a model file's <c>training</c> entry, also as written by earlier versions.</summary>
    /// <returns>The options, and whether the entry was written by Backprop 0.1 (whose epoch count was the resumed run's own).</returns>
    /// <exception cref="BackpropException">The entry is malformed, from a newer Backprop, or holds options out of range.</exception>
    public static (TabularTrainingOptions Options, bool FirstVersion) ParseOptions(string json, string source)
    {
        try
        {
            JsonObject entry = JsonNode.Parse(json, documentOptions: Limits)?.AsObject()
                ?? throw new JsonException("Expected an object. Received: null.");
            JsonObject body;
            bool firstVersion = entry["version"] is null;
            if (!firstVersion)
            {
                int version = entry["version"]!.GetValue<int>();
                if (version < 1 || version > OptionsVersion)
                {
                    throw new BackpropException($"{source}: the '{OptionsKey}' entry has version {version}; this Backprop {ModelFile.LibraryVersion} reads versions 1 to {OptionsVersion}. Upgrade Backprop to resume it.");
                }
                entry.Remove("version");
                // Every option is written, but a key left out (an edited file) keeps its default rather than the zero the
                // generated reader would give an init-only property it does not see.
                body = Overlay(version switch
                {
                    1 => BeforeRecipe,
                    <= 3 => BeforeEnsembles,
                    4 => BeforeCalibration,
                    5 => BeforeDefaultBins,
                    6 => BeforeStepPatience,
                    7 => BeforeBinRule,
                    _ => new TabularTrainingOptions(),
                }, entry);
            }
            else
            {
                body = FromFirstVersion(entry);
            }
            TabularTrainingOptions options = body.Deserialize(TrainingJsonContext.Default.TabularTrainingOptions)
                ?? throw new JsonException("Expected an object. Received: null.");
            return (options.Validate(), firstVersion);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OptionException or ArgumentException)
        {
            throw new BackpropException($"{source}: the '{OptionsKey}' entry is invalid: {e.Message.ReplaceLineEndings(" ").TrimEnd('.')}.", e);
        }
    }

    // Version 1 predates the tabular recipe's options: its runs had none of them (standard scaling, no feature scale, one rate, the
    // drawn output layer, PyTorch's β₂, the last epoch unless early stopping).
    private static readonly TabularTrainingOptions BeforeRecipe = new()
    {
        Scaling = Preprocessing.NumericScaling.Standard,
        FeatureScale = false,
        Parametrization = Layers.Parametrization.Standard,
        ZeroOutputLayer = false,
        Members = 1,
        CrossFit = false,
        Embedding = Layers.InputEmbedding.None,
        Beta2 = 0.999,
        RestoreBest = false,
        Calibrate = false,
        LabelSmoothing = 0,
        PiecewiseLinearBins = 0,
        PiecewiseLinearRowsPerInput = 0,
        EarlyStoppingSteps = 0,
    };

    // Versions 2 and 3 predate cross-fitting (and version 2 ensembles and input embeddings): one network, or members that all
    // trained on every row, on the inputs as they are.
    private static readonly TabularTrainingOptions BeforeEnsembles = new()
    {
        Members = 1, CrossFit = false, Embedding = Layers.InputEmbedding.None, Calibrate = false, LabelSmoothing = 0, PiecewiseLinearBins = 0,
        PiecewiseLinearRowsPerInput = 0, EarlyStoppingSteps = 0,
    };

    // Version 4 predates calibration: its models' probabilities were the network's own.
    private static readonly TabularTrainingOptions BeforeCalibration = new()
    {
        Calibrate = false, LabelSmoothing = 0, PiecewiseLinearBins = 0, PiecewiseLinearRowsPerInput = 0, EarlyStoppingSteps = 0,
    };

    // Version 5 predates the bins as a default: an entry without the key (written before they existed) had none.
    private static readonly TabularTrainingOptions BeforeDefaultBins = new() { PiecewiseLinearBins = 0, PiecewiseLinearRowsPerInput = 0, EarlyStoppingSteps = 0 };

    // Version 6 predates the patience in steps: its runs stopped after the epochs of early stopping alone.
    private static readonly TabularTrainingOptions BeforeStepPatience = new() { PiecewiseLinearRowsPerInput = 0, EarlyStoppingSteps = 0 };

    // Version 7 predates the rows the bins need: its runs put the numbers in bins whatever the table's size.
    private static readonly TabularTrainingOptions BeforeBinRule = new() { PiecewiseLinearRowsPerInput = 0 };

    // Backprop 0.1 wrote the command line's options without a version: the data as "embedded:NAME" or a path, the notebook's
    // defaults, and the options that were off left out. Everything it did not write was the notebook's value.
    private static JsonObject FromFirstVersion(JsonObject legacy)
    {
        legacy.Remove("precision"); // the file's dtype now
        JsonObject body = Overlay(TabularTrainingOptions.Notebook with { Dataset = null, EarlyStoppingSteps = 0, PiecewiseLinearRowsPerInput = 0 }, legacy);
        if (body["data"]?.GetValue<string>() is { } data && data.StartsWith("embedded:", StringComparison.Ordinal))
        {
            body["data"] = null;
            body["dataset"] = data["embedded:".Length..];
        }
        return body;
    }

    // The options of baseline as JSON, with the keys of entry (the ones the options know) in place of theirs.
    private static JsonObject Overlay(TabularTrainingOptions baseline, JsonObject entry)
    {
        JsonObject body = JsonSerializer.SerializeToNode(baseline, TrainingJsonContext.Default.TabularTrainingOptions)!.AsObject();
        foreach ((string key, JsonNode? value) in entry.ToArray())
        {
            if (!body.ContainsKey(key)) continue;
            entry.Remove(key);
            body[key] = value;
        }
        return body;
    }

    /// <summary>The loss curves (every k-th epoch past <see cref="MaxStoredEpochs"/>), the final figures and the epoch the file holds.</summary>
    public static string HistoryJson(IReadOnlyList<EpochRecord> history, int? bestEpoch)
    {
        int stride = (history.Count + MaxStoredEpochs - 1) / MaxStoredEpochs;
        // Loops, not LINQ: its Select into ints and nullable doubles is the framework's generic code over value types, compiled
        // at first use in every run that saves (docs/performance.md, "Start-up").
        var kept = new List<EpochRecord>(history.Count);
        bool validation = false;
        for (int i = 0; i < history.Count; i++)
        {
            if (stride <= 1 || i % stride == 0 || i == history.Count - 1) kept.Add(history[i]);
            validation |= history[i].ValidationLoss is not null;
        }
        int[]? epochs = stride > 1 ? new int[kept.Count] : null;
        var losses = new double?[kept.Count];
        double?[]? validationLosses = validation ? new double?[kept.Count] : null;
        for (int k = 0; k < kept.Count; k++)
        {
            if (epochs is not null) epochs[k] = kept[k].Epoch;
            losses[k] = Finite(kept[k].Loss);
            if (validationLosses is not null) validationLosses[k] = Finite(kept[k].ValidationLoss);
        }
        var entry = new TrainingHistoryEntry(
            history.Count,
            epochs,
            losses,
            validationLosses,
            history.Count > 0 ? Finite(history[^1].Loss) : null,
            history.Count > 0 ? Finite(history[^1].ValidationLoss) : null,
            bestEpoch);
        return HistoryEntryJson(entry);
    }

    // By hand, as the options (OptionsJson says why); what the generated serializer writes (GeneratedJson, held equal by a test).
    internal static string HistoryEntryJson(TrainingHistoryEntry entry) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("epochs", entry.Epochs);
        if (entry.Epoch is { } epochs)
        {
            w.WriteStartArray("epoch");
            foreach (int epoch in epochs) w.WriteNumberValue(epoch);
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("epoch");
        }
        Numbers(w, "loss", entry.Loss);
        Numbers(w, "val_loss", entry.ValLoss);
        Number(w, "final_loss", entry.FinalLoss);
        Number(w, "final_val_loss", entry.FinalValLoss);
        if (entry.BestEpoch is int best) w.WriteNumber("best_epoch", best); else w.WriteNull("best_epoch");
        w.WriteEndObject();
    });

    private static void Numbers(Utf8JsonWriter w, string key, double?[]? values)
    {
        if (values is null)
        {
            w.WriteNull(key);
            return;
        }
        w.WriteStartArray(key);
        foreach (double? value in values)
        {
            if (value is double v) w.WriteNumberValue(v); else w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    /// <summary>The entry as the generated serializer writes it: what the hand-written writers must equal.</summary>
    internal static string GeneratedJson(TrainingHistoryEntry entry) =>
        Write(writer => JsonSerializer.Serialize(writer, entry, TrainingJsonContext.Default.TrainingHistoryEntry));

    /// <inheritdoc cref="GeneratedJson(TrainingHistoryEntry)"/>
    internal static string GeneratedJson(TrainingStateEntry state) =>
        Write(writer => JsonSerializer.Serialize(writer, state, TrainingJsonContext.Default.TrainingStateEntry));

    /// <summary>The stored points of a <c>history</c> entry as epoch records (losses only); empty when the entry is missing or unreadable.</summary>
    public static List<EpochRecord> ParseHistory(string? json)
    {
        if (json is null) return [];
        try
        {
            TrainingHistoryEntry? entry = JsonSerializer.Deserialize(json, TrainingJsonContext.Default.TrainingHistoryEntry);
            if (entry?.Loss is null) return [];
            var records = new List<EpochRecord>(entry.Loss.Length);
            for (int i = 0; i < entry.Loss.Length; i++)
            {
                int epoch = entry.Epoch is { } epochs && i < epochs.Length ? epochs[i] : i;
                double? validation = entry.ValLoss is { } losses && i < losses.Length ? losses[i] ?? double.NaN : null;
                records.Add(new EpochRecord(epoch, entry.Loss[i] ?? double.NaN, 0, validation));
            }
            return records;
        }
        catch (JsonException)
        {
            return []; // the history is a record of the past, not needed to train on
        }
    }

    /// <summary>The bookkeeping a resumed run continues from.</summary>
    public static string StateJson(TrainingStateEntry state) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("best_epoch", state.BestEpoch);
        Number(w, "best_loss", state.BestLoss);
        if (state.EarlyStopping is { } stopping)
        {
            w.WriteStartObject("early_stopping");
            w.WriteNumber("best_epoch", stopping.BestEpoch);
            Number(w, "best_loss", stopping.BestLoss);
            w.WriteNumber("epochs_without_improvement", stopping.EpochsWithoutImprovement);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("early_stopping");
        }
        if (state.Scheduler is { } scheduler)
        {
            w.WriteStartObject("scheduler");
            w.WriteNumber("cuts", scheduler.Cuts);
            Number(w, "best", scheduler.Best);
            w.WriteNumber("epochs_without_improvement", scheduler.EpochsWithoutImprovement);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("scheduler");
        }
        w.WriteEndObject();
    });

    /// <summary>Reads a <c>training.state</c> entry; a file without one (written by an earlier version) starts the bookkeeping afresh.</summary>
    /// <exception cref="BackpropException">The entry is malformed.</exception>
    public static TrainingStateEntry ParseState(string? json, string source)
    {
        if (json is null) return new TrainingStateEntry(-1, null, null, null);
        try
        {
            return JsonSerializer.Deserialize(json, TrainingJsonContext.Default.TrainingStateEntry)
                ?? throw new JsonException("Expected an object. Received: null.");
        }
        catch (JsonException e)
        {
            throw new BackpropException($"{source}: the '{StateKey}' entry is invalid: {e.Message.ReplaceLineEndings(" ").TrimEnd('.')}.", e);
        }
    }

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonText.WriterOptions))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
