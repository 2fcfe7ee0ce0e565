using System.CommandLine;
using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Metrics;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tensors;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop predict</c>: a saved model's predictions for the rows of a CSV file, as CSV.</summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = ModelOptions.Model();
        var data = ModelOptions.Data("CSV file with the model's feature columns, by name (the target column may be absent)");
        var delimiter = ModelOptions.Delimiter();
        var decimalSeparator = ModelOptions.Decimal();
        var json = ModelOptions.Json("a summary (rows, output file, predicted class counts; requires --out)");
        var outPath = new Option<string>("--out")
        {
            Description = "Write the predictions to this CSV file (written whole or not at all) instead of stdout",
            HelpName = "FILE.csv",
        };
        var proba = new Option<bool>("--proba") { Description = "Add one probability column per class, named after the class (classification)" };
        var command = new Command("predict",
            "Predict with a saved model. Output CSV: the row number (1 = first data row), the prediction (the original class label, "
            + "or the value in the target's units) and, with --proba, one probability column per class.\n\n"
            + "Examples:\n  backprop predict --model iris.safetensors --data new.csv\n  backprop predict --model iris.safetensors --data new.csv --proba --out predictions.csv")
        {
            model, data, delimiter, decimalSeparator, outPath, proba, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(outPath) is null) result.AddError("--json: expected together with --out FILE.csv (stdout holds only the JSON summary).");
        });
        command.SetAction(parse => ModelLoader.Run(parse.GetValue(model)!,
            new Handler(parse.GetValue(data)!, parse.GetValue(delimiter), parse.GetValue(decimalSeparator), parse.GetValue(outPath), parse.GetValue(proba),
                parse.GetValue(json), output, error)));
        return command;
    }

    private sealed class Handler(string dataPath, char? delimiter, char? decimalSeparator, string? outPath, bool proba, bool json, TextWriter output,
        TextWriter error) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            bool classification = model.Task == TaskKind.Classification;
            if (proba && !classification)
            {
                throw new UsageException("--proba: expected a classification model. Received: a regression model, which predicts values (no class probabilities).");
            }
            CsvTable table = ModelData.Table(model.Preprocessor, dataPath, delimiter, decimalSeparator);
            var warnings = new List<string>();
            var imputed = new List<string>();
            Matrix<T>? probabilities = classification ? model.PredictProbabilities(table, warnings, imputed) : null;
            int[] classes = probabilities is null ? [] : Classification.ArgMax(probabilities);
            double[] values = classification ? [] : model.PredictValues(table, warnings, imputed);
            var remarks = new Remarks(error.WriteLine);
            remarks.AddAll(warnings, imputed);
            int rows = table.RowCount;

            void WriteCsv(TextWriter target)
            {
                if (classification) PredictionCsv.WriteClasses(target, model.ClassLabels!, classes, proba ? probabilities : null);
                else PredictionCsv.WriteValues(target, values);
            }

            if (outPath is null)
            {
                WriteCsv(output);
                return Cli.Success;
            }
            PredictionCsv.WriteFileAtomically(outPath, WriteCsv);
            if (!json)
            {
                output.WriteLine($"Wrote {rows} predictions to {outPath}");
                return Cli.Success;
            }
            Json.WriteObject(output, w =>
            {
                w.WriteString("task", classification ? "classification" : "regression");
                w.WriteNumber("rows", rows);
                w.WriteString("out", outPath);
                if (classification)
                {
                    w.WriteStartObject("predicted_counts");
                    for (int c = 0; c < model.ClassLabels!.Count; c++) w.WriteNumber(model.ClassLabels[c], classes.Count(k => k == c));
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNumberOrNull("mean_prediction", values.DefaultIfEmpty(double.NaN).Average());
                }
                remarks.WriteJson(w);
            });
            return Cli.Success;
        }
    }
}
