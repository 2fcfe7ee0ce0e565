using System.CommandLine;
using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.IO;
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
        var data = ModelOptions.Data("Data with the model's feature columns, by name (the target column may be absent)");
        var delimiter = ModelOptions.Delimiter();
        var decimalSeparator = ModelOptions.Decimal();
        var json = ModelOptions.Json("a summary (rows, output file, predicted class counts; requires --out)");
        var outPath = new Option<string>("--out")
        {
            Description = "Write the predictions to this file instead of stdout: CSV, or Parquet when it ends in .parquet (typed columns); written whole or not at all",
            HelpName = "FILE",
        };
        var proba = new Option<bool>("--proba") { Description = "Add one probability column per class, named after the class (classification)" };
        var interval = new Option<double?>("--interval")
        {
            Description = "Add columns lower and upper: a conformal prediction interval meant to hold this share of new values, e.g. 0.9 (regression; "
                + "calibrated on the rows the model held out in training)",
            HelpName = "COVERAGE",
        }.Share();
        var set = new Option<double?>("--set")
        {
            Description = "Add a column set: the classes (joined by |) of a conformal prediction set meant to hold the true class for this share of new rows, "
                + "e.g. 0.9 (classification; calibrated on the rows the model held out in training)",
            HelpName = "COVERAGE",
        }.Share();
        var command = new Command("predict",
            "Predict with a saved model. Output CSV: the row number (1 = first data row), the prediction (the original class label, "
            + "or the value in the target's units) and, with --proba, one probability column per class.\n\n"
            + "Examples:\n  backprop predict --model iris.safetensors --data new.csv\n  backprop predict --model iris.safetensors --data new.csv --proba --out predictions.csv")
        {
            model, data, delimiter, decimalSeparator, outPath, proba, interval, set, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(outPath) is null) result.AddError("--json: expected together with --out FILE (stdout holds only the JSON summary).");
        });
        command.SetAction(parse => ModelLoader.Run(parse.GetValue(model)!,
            new Handler(parse.GetValue(data)!, parse.GetValue(delimiter), parse.GetValue(decimalSeparator), parse.GetValue(outPath), parse.GetValue(proba),
                parse.GetValue(interval), parse.GetValue(set), parse.GetValue(json), output, error)));
        return command;
    }

    private sealed class Handler(string dataPath, char? delimiter, char? decimalSeparator, string? outPath, bool proba, double? interval, double? set, bool json,
        TextWriter output, TextWriter error) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            bool classification = model.Task == TaskKind.Classification;
            if (proba && !classification)
            {
                throw new UsageException("--proba: expected a classification model. Received: a regression model, which predicts values (no class probabilities).");
            }
            if (interval is not null && classification)
            {
                throw new UsageException("--interval: expected a regression model. Received: a classification model (--set gives it prediction sets).");
            }
            if (set is not null && !classification)
            {
                throw new UsageException("--set: expected a classification model. Received: a regression model (--interval gives it prediction intervals).");
            }
            if ((interval ?? set) is not null && model.ConformalScores is null)
            {
                throw new UsageException($"{(interval is null ? "--set" : "--interval")}: expected a model that kept the rows it held out in training to calibrate on. "
                    + "Received: a model trained without (train it with cross-fitting, the default for a data file, or --validation, and --calibrate not false).");
            }
            Table table = ModelData.Read(model.Preprocessor, dataPath, delimiter, decimalSeparator);
            var warnings = new List<string>();
            var imputed = new List<string>();
            Matrix<T>? probabilities = classification ? model.PredictProbabilities(table, warnings, imputed) : null;
            int[] classes = probabilities is null ? [] : Classification.ArgMax(probabilities);
            double[] values = classification ? [] : model.PredictValues(table, warnings, imputed);
            // The rows are encoded again: their warnings and notes are said above, and their values checked.
            Matrix<T>? features = (interval ?? set) is null ? null : model.Preprocessor.TransformFeatures<T>(table);
            bool[,]? sets = set is double setCoverage ? model.PredictSets(features!, setCoverage) : null;
            (double[] Values, double[] Lower, double[] Upper)? bounds = interval is double coverage ? model.PredictIntervals(features!, coverage) : null;
            var remarks = new Remarks(error.WriteLine);
            remarks.AddAll(warnings, imputed);
            int rows = table.RowCount;

            void WriteCsv(TextWriter target)
            {
                if (classification) PredictionCsv.WriteClasses(target, model.ClassLabels!, classes, proba ? probabilities : null, sets);
                else PredictionCsv.WriteValues(target, values, bounds?.Lower, bounds?.Upper);
            }

            if (outPath is null)
            {
                WriteCsv(output);
                return Cli.Success;
            }
            if (outPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                AtomicFile.Write(outPath, stream =>
                {
                    if (classification) PredictionParquet.WriteClasses(stream, model.ClassLabels!, classes, proba ? probabilities : null, sets);
                    else PredictionParquet.WriteValues(stream, values, bounds?.Lower, bounds?.Upper);
                });
            }
            else
            {
                PredictionCsv.WriteFileAtomically(outPath, WriteCsv);
            }
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
                    if (sets is not null)
                    {
                        // How large the sets are on average: 1 where the model is sure enough for the coverage asked.
                        w.WriteNumber("set_coverage", set!.Value);
                        w.WriteNumberOrNull("mean_set_size", rows == 0 ? double.NaN : (double)sets.Cast<bool>().Count(b => b) / rows);
                    }
                }
                else
                {
                    w.WriteNumberOrNull("mean_prediction", values.DefaultIfEmpty(double.NaN).Average());
                    if (bounds is { } b)
                    {
                        // Split-conformal intervals have one width for every row.
                        w.WriteNumber("interval_coverage", interval!.Value);
                        w.WriteNumberOrNull("interval_width", rows == 0 ? double.NaN : b.Upper[0] - b.Lower[0]);
                    }
                }
                remarks.WriteJson(w);
            });
            return Cli.Success;
        }
    }
}
