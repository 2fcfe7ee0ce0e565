using System.Text.Json;
using Backprop.Optimizers;
using Backprop.Serialization;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>train --resume MODEL</c> continues the run the file records: every training option not given on the command line is taken
/// from the file's <c>training</c> entry (data, optimizer, learning rate, batch size, loss, momentum, weight decay, schedule, validation,
/// seed, shuffling, precision, task), so that resuming needs no more than the file and the number of epochs.
/// </summary>
internal static class ResumeDefaults
{
    /// <param name="settings">The options as parsed.</param>
    /// <param name="given">Names of the options written on the command line (for example <c>--lr</c>).</param>
    /// <exception cref="BackpropException">The file cannot be read (the message says why).</exception>
    /// <param name="notes">Where the data's notes go, should the data come from the file.</param>
    public static TrainSettings Apply(TrainSettings settings, IReadOnlySet<string> given, TextWriter notes) =>
        settings.Resume is { } path ? ApplySaved(settings, path, given, notes) : settings;

    // Apart from Apply so that a run without --resume does not load System.Text.Json: a method's code, precompiled or not,
    // loads the assemblies of the types it uses the first time it runs.
    private static TrainSettings ApplySaved(TrainSettings settings, string path, IReadOnlySet<string> given, TextWriter notes)
    {
        SafeTensorsDocument document = SafeTensors.Load(path);
        if (!document.Metadata.TryGetValue("training", out string? json)) return settings;
        JsonElement training;
        try
        {
            using JsonDocument parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            training = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return settings; // Not ours to judge here: loading the model reports a malformed file.
        }
        if (training.ValueKind != JsonValueKind.Object) return settings;

        bool Take(string option) => !given.Contains(option);
        string? Text(string key) => training.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        double? Number(string key) => training.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
        bool? Flag(string key) => training.TryGetProperty(key, out JsonElement e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null;

        TrainSettings s = settings;
        // The data too: the embedded set or the CSV file the run was trained on (its columns are in the saved preprocessing).
        if (Take("--data") && Take("--dataset") && Text("data") is { } data)
        {
            s = data.StartsWith("embedded:", StringComparison.Ordinal)
                ? s with { Dataset = data["embedded:".Length..] }
                : s with { Data = new DataSettings(data, null, [], [], [], Preprocessing.MissingValueStrategy.Mean, null, notes) };
        }
        if (Take("--optimizer") && Enum.TryParse(Text("optimizer"), ignoreCase: true, out OptimizerKind optimizer)) s = s with { Optimizer = optimizer };
        if (Take("--lr") && Number("learning_rate") is { } lr && lr > 0) s = s with { LearningRate = lr };
        if (Take("--batch-size") && Number("batch_size") is { } batch && batch >= 1) s = s with { BatchSize = (int)batch };
        if (Take("--loss") && Text("loss") is "bce" or "huber") s = s with { Loss = Text("loss") };
        if (Take("--momentum") && Number("momentum") is { } momentum) s = s with { Momentum = momentum };
        if (Take("--nesterov") && Flag("nesterov") is { } nesterov) s = s with { Nesterov = nesterov };
        if (Take("--weight-decay") && Number("weight_decay") is { } decay) s = s with { WeightDecay = decay };
        if (Take("--schedule") && Text("schedule") is { } schedule && ScheduleSpec.Parse(schedule, out _) is { } spec) s = s with { Schedule = spec };
        if (Take("--validation") && Take("--validation-data") && Number("validation") is { } validation && validation is >= 0 and < 1) s = s with { Validation = validation };
        if (Take("--seed") && Number("seed") is { } seed && seed >= 0) s = s with { Seed = (ulong)seed };
        if (Take("--no-shuffle") && Flag("shuffle") is { } shuffle) s = s with { Shuffle = shuffle };
        if (Take("--precision") && Text("precision") is "f32" or "f64") s = s with { Double = Text("precision") == "f64" };
        if (Take("--task") && Text("task") is "regression") s = s with { Regression = true };
        return s;
    }
}
