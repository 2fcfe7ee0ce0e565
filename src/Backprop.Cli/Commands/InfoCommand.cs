using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Layers;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop info</c>: what a model file holds.</summary>
internal static class InfoCommand
{
    /// <summary>Metadata entries written by <c>train</c> that <c>info</c> shows as JSON objects.</summary>
    public static IReadOnlyList<string> JsonEntries { get; } = ["training", "history", "metrics"];

    public static Command Create(TextWriter output)
    {
        var model = ModelOptions.Model();
        var json = ModelOptions.Json("the description");
        var command = new Command("info",
            "Describe a model file: architecture with parameter counts, inputs (feature names and kinds), outputs (class labels or "
            + "target), training options and final metrics.\n\nExample:\n  backprop info --model iris.safetensors")
        {
            model, json,
        };
        command.SetAction(parse => ModelLoader.Run(parse.GetValue(model)!, new Handler(parse.GetValue(model)!, parse.GetValue(json), output)));
        return command;
    }

    private sealed class Handler(string path, bool json, TextWriter output) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TabularPreprocessorState state = model.Preprocessor.State;
            if (json)
            {
                Json.WriteObject(output, w => WriteJson(w, model, saved));
                return Cli.Success;
            }
            // Every text from the file (names, labels, versions) is printed escaped: the file may come from anywhere.
            static string P(string? text) => Printable.OneLine(text);
            output.WriteLine($"Model file   {P(path)} ({new FileInfo(path).Length:N0} bytes, format {saved.FormatVersion}, Backprop {P(saved.LibraryVersion)}, {saved.StoredDType})");
            output.WriteLine($"Task         {(model.Task == TaskKind.Regression ? "regression" : "classification")} of '{P(state.Target.Name)}'");
            output.WriteLine();
            output.WriteLine(model.Network.Summary());
            if (model.Members > 1)
            {
                output.WriteLine($"An ensemble of {model.Members} networks trained as one: each has {model.Network.OutputFeatures / model.Members} of the last layer's {model.Network.OutputFeatures} outputs, and a prediction averages theirs.");
            }
            if (model.Temperature != 1)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Calibrated: the logits are divided by a temperature of {model.Temperature:G4} before the probabilities (fitted on the rows held out in training)."));
            }
            if (model.ConformalScores is { } scores)
            {
                output.WriteLine($"Keeps the errors of {scores.Count:N0} held-out rows for conformal prediction (predict {(model.Task == TaskKind.Regression ? "--interval" : "--set")} 0.9).");
            }
            output.WriteLine();
            int columns = state.Features.Length, inputs = model.Network.InputFeatures;
            output.WriteLine($"Inputs ({columns} {(columns == 1 ? "column" : "columns")} → {inputs} model {(inputs == 1 ? "input" : "inputs")})");
            string[] names = state.Features.Select(f => P(f.Name)).ToArray();
            int width = names.Max(CellText.Width);
            for (int f = 0; f < names.Length; f++)
            {
                output.WriteLine($"  {CellText.PadRight(names[f], width)}  {Describe(state.Features[f], state.Scaling)}");
            }
            output.WriteLine();
            string targetUnit = state.Target.UnitDescription is { } described ? $"{described}; " : "";
            output.WriteLine(model.Task == TaskKind.Regression
                ? $"Output       {P(state.Target.Name)} ({targetUnit}standardized in training: mean {model.TargetScaling.Mean:G6}, scale {model.TargetScaling.Scale:G6})"
                : $"Outputs      {string.Join(", ", model.ClassLabels!.Select(P))}{(targetUnit.Length > 0 ? $" ({targetUnit[..^2]})" : "")}");
            if (model.Metadata.TryGetValue("training", out string? training))
            {
                output.WriteLine($"Training     {Flatten(training)}");
            }
            if (model.Metadata.TryGetValue("history", out string? history))
            {
                output.WriteLine($"History      {Flatten(history)}");
            }
            return Cli.Success;
        }

        // {"epochs":30,"loss":[…],"final_loss":0.04} -> "epochs 30, final_loss 0.04": scalars only, for a person. An entry that is
        // not a JSON object (a damaged or foreign file) is shown as it is, escaped, rather than failing the whole description.
        private static string Flatten(string json)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return $"{Printable.OneLine(Shorten(json))} (not a JSON object)";
                }
                // Options left unset (null) and the entry's version are for programs, not for this summary.
                return Printable.OneLine(string.Join(", ", document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null) || p.Name == "hidden")
                    .Where(p => p.Name != "version")
                    .Select(p => $"{p.Name} {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}")));
            }
            catch (JsonException)
            {
                return $"{Printable.OneLine(Shorten(json))} (not valid JSON)";
            }
        }

        private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

        private static string Describe(FeatureColumnState feature, NumericScaling scaling) => feature.Kind switch
        {
            // The unit the training file wrote the numbers with, which a file to predict must write them with too.
            FeatureKind.Numeric when feature.UnitDescription is { } unit => Describe(feature with { Unit = null }, scaling).Insert(Kind.Length, $"{unit}, "),
            FeatureKind.Numeric when feature.Bins > 0 => Describe(feature with { Edges = null }, scaling)
                + $"; and piecewise-linear in {feature.Bins} bins (edges {string.Join(", ", feature.Edges!.Select(e => e.ToString("G4", CultureInfo.InvariantCulture)))})",
            FeatureKind.Numeric when scaling == NumericScaling.Robust =>
                string.Create(CultureInfo.InvariantCulture, $"numeric      median {feature.Mean:G6}, IQR {feature.Scale:G6}, smoothly clipped, missing → {feature.Fill:G6}"),
            FeatureKind.Numeric => string.Create(CultureInfo.InvariantCulture, $"numeric      mean {feature.Mean:G6}, std {feature.Scale:G6}, missing → {feature.Fill:G6}"),
            FeatureKind.Boolean => string.Create(CultureInfo.InvariantCulture, $"boolean      missing → {feature.Fill:G6}"),
            FeatureKind.Date => DescribeDates(feature, scaling),
            _ => $"categorical  {feature.Categories!.Length} {(feature.Categories.Length == 1 ? "category" : "categories")} ({Printable.OneLine(string.Join(", ", feature.Categories.Take(6)))}{(feature.Categories.Length > 6 ? ", …" : "")}), missing → {Printable.OneLine(feature.FillCategory)}",
        };

        // The kind column of an input's line: "numeric" and its padding.
        private const string Kind = "numeric      ";

        // Days since 1970 as dates; the spread stays in days.
        private static string DescribeDates(FeatureColumnState feature, NumericScaling scaling)
        {
            string spread = scaling == NumericScaling.Robust
                ? $"median {IsoDates.Format(feature.Mean)}, IQR {feature.Scale.ToString("G4", CultureInfo.InvariantCulture)} days, smoothly clipped"
                : $"mean {IsoDates.Format(feature.Mean)}, std {feature.Scale.ToString("G4", CultureInfo.InvariantCulture)} days";
            string bins = feature.Bins == 0 ? ""
                : $"; and piecewise-linear in {feature.Bins} bins (edges {string.Join(", ", feature.Edges!.Select(IsoDates.Format))})";
            string calendar = feature.Calendar is { } parts
                ? $"; with {string.Join(", ", parts.Select(p => p switch { CalendarPart.Weekday => "the weekday", CalendarPart.Year => "the time of year", _ => "the time of day" }))}"
                : "";
            string written = feature.Order switch
            {
                DateOrder.DayFirst => "written day first (15/03/2024), ",
                DateOrder.MonthFirst => "written month first (3/15/2024), ",
                _ => "",
            };
            return $"date         {written}{spread}, missing → {IsoDates.Format(feature.Fill)}{bins}{calendar}";
        }

        private void WriteJson<T>(Utf8JsonWriter w, TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TabularPreprocessorState state = model.Preprocessor.State;
            w.WriteString("model", path);
            w.WriteNumber("bytes", new FileInfo(path).Length);
            w.WriteNumber("format_version", saved.FormatVersion);
            w.WriteString("library_version", saved.LibraryVersion);
            w.WriteString("precision", saved.StoredDType == TensorDType.F64 ? "f64" : "f32");
            w.WriteString("task", model.Task == TaskKind.Regression ? "regression" : "classification");
            w.WriteNumber("parameters", model.Network.ParameterCount);
            w.WriteNumber("members", model.Members);
            w.WriteNumber("temperature", model.Temperature);
            w.WriteNumber("conformal_rows", model.ConformalScores?.Count ?? 0);
            w.WriteStartArray("layers");
            foreach (var (layer, description) in model.Network.Layers.Zip(saved.Architecture.Layers))
            {
                w.WriteStartObject();
                w.WriteString("type", description.Type);
                w.WriteNumber("inputs", description.InputFeatures);
                w.WriteNumber("outputs", description.OutputFeatures);
                w.WriteNumber("parameters", layer.ParameterCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("inputs");
            foreach (FeatureColumnState feature in state.Features)
            {
                w.WriteStartObject();
                w.WriteString("name", feature.Name);
                w.WriteString("kind", feature.Kind.ToString().ToLowerInvariant());
                if (feature.Categories is not null) w.WriteStrings("categories", feature.Categories);
                if (feature.Edges is { } edges)
                {
                    w.WriteStartArray("bin_edges");
                    foreach (double edge in edges) w.WriteNumberValue(edge);
                    w.WriteEndArray();
                }
                if (feature.Unit is { } unit) w.WriteString("unit", unit);
                if (feature.Order is { } order) w.WriteString("date_order", Estimators.OptionNames.Name(order));
                if (feature.Calendar is { } calendar)
                {
                    // A date's edges are days since 1970-01-01 UTC; its calendar inputs follow them.
                    w.WriteStrings("calendar", [.. calendar.Select(part => part.ToString().ToLowerInvariant())]);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("target", state.Target.Name);
            if (state.Target.Unit is { } unitOfTarget) w.WriteString("target_unit", unitOfTarget);
            if (model.ClassLabels is not null) w.WriteStrings("labels", model.ClassLabels);
            foreach (string key in JsonEntries)
            {
                if (!model.Metadata.TryGetValue(key, out string? value)) continue;
                w.WritePropertyName(key);
                if (IsJson(value)) w.WriteRawValue(value);
                else w.WriteStringValue(value); // not JSON (a damaged file): its text, so the output stays one valid object
            }
        }
        private static bool IsJson(string text)
        {
            try
            {
                using JsonDocument _ = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
