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

/// <summary><c>backprop predict</c>: a saved model's predictions for the rows of a CSV or Parquet file (or shards), as CSV or Parquet, a chunk of rows at a time.</summary>
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
            Description = "Write the predictions to this file instead of stdout ('-': stdout): CSV, or Parquet when it ends in .parquet (typed columns); "
                + "written whole or not at all",
            HelpName = "FILE",
        };
        // '-' is stdout, as for most command-line tools; a file of that name is ./-.
        string? OutPath(ParseResult parse) => parse.GetValue(outPath) is "-" ? null : parse.GetValue(outPath);
        var proba = new Option<bool>("--proba") { Description = "Add one probability column per class, named after the class (classification)" };
        var interval = new Option<double?>("--interval")
        {
            Description = "Add columns lower and upper: a conformal prediction interval meant to hold this share of new values, from 0.5 to below 1, "
                + "e.g. 0.9 (regression; calibrated on the rows the model held out in training)",
            HelpName = "COVERAGE",
        }.Share(minimum: ConformalScores.MinimumIntervalCoverage);
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
            if (result.GetValue(json) && result.GetValue(outPath) is null or "-") result.AddError("--json: expected together with --out FILE (stdout holds only the JSON summary).");
        });
        command.SetAction(parse =>
        {
            OutputFiles.Check([(model.Name, parse.GetValue(model), "the model"), (data.Name, parse.GetValue(data), "the data")], [(outPath.Name, OutPath(parse))]);
            // Before the model is loaded and the data predicted, which on a large file is the long part.
            if (OutPath(parse) is { } file) AtomicFile.CheckTarget(file);
            return ModelLoader.Run(parse.GetValue(model)!,
                new Handler(parse.GetValue(data)!, parse.GetValue(delimiter), parse.GetValue(decimalSeparator), OutPath(parse), parse.GetValue(proba),
                    parse.GetValue(interval), parse.GetValue(set), parse.GetValue(json), output, error));
        });
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
            var remarks = new Remarks(error.WriteLine);
            var warnings = new TransformRemarks();
            var notes = new TransformRemarks();
            long rows = 0, setMembers = 0;
            long[] counts = new long[model.ClassLabels?.Count ?? 0];
            double sum = 0, width = double.NaN;

            // Every chunk of rows read, predicted and written before the next is read: a file larger than memory is predicted
            // in the memory of a chunk. `write` gets the chunk's first row (from 0) and its predictions.
            void Predict(Action<long, int[], Matrix<T>?, bool[,]?, double[], (double[] Values, double[] Lower, double[] Upper)?> write)
            {
                foreach (Table table in ModelData.ReadChunks(model.Preprocessor, dataPath, delimiter, decimalSeparator, remarks))
                {
                    var chunkWarnings = new List<string>();
                    var chunkNotes = new List<string>();
                    Matrix<T>? probabilities = classification ? model.PredictProbabilities(table, chunkWarnings, chunkNotes) : null;
                    int[] classes = probabilities is null ? [] : Classification.ArgMax(probabilities);
                    double[] values = classification ? [] : model.PredictValues(table, chunkWarnings, chunkNotes);
                    warnings.Add(chunkWarnings);
                    notes.Add(chunkNotes);
                    // The rows are encoded again: their warnings and notes are said above, and their values checked.
                    Matrix<T>? features = (interval ?? set) is null ? null : model.Preprocessor.TransformFeatures<T>(table);
                    bool[,]? sets = set is double setCoverage ? model.PredictSets(features!, setCoverage) : null;
                    (double[] Values, double[] Lower, double[] Upper)? bounds = interval is double coverage ? model.PredictIntervals(features!, coverage) : null;
                    write(rows, classes, probabilities, sets, values, bounds);
                    if (output is StandardOutput { ReaderGone: true })
                    {
                        // `predict … | head`: what is left would be predicted for no one.
                        return;
                    }
                    rows += table.RowCount;
                    foreach (int c in classes) counts[c]++;
                    if (sets is not null) setMembers += sets.Cast<bool>().Count(b => b);
                    sum += values.Sum();
                    // Split-conformal intervals have one width for every row.
                    if (bounds is { } b && b.Values.Length > 0) width = b.Upper[0] - b.Lower[0];
                }
            }

            void WriteCsv(TextWriter target) => Predict((first, classes, probabilities, sets, values, bounds) =>
            {
                if (classification) PredictionCsv.WriteClasses(target, model.ClassLabels!, classes, proba ? probabilities : null, sets, first + 1, header: first == 0);
                else PredictionCsv.WriteValues(target, values, bounds?.Lower, bounds?.Upper, first + 1, header: first == 0);
            });

            if (outPath is null)
            {
                WriteCsv(output);
                if (output is StandardOutput { ReaderGone: true })
                {
                    return Cli.OutputClosed;
                }
                remarks.AddAll(warnings.Messages, notes.Messages);
                return Cli.Success;
            }
            if (outPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                AtomicFile.Write(outPath, stream =>
                {
                    using var parquet = new PredictionParquetWriter(stream);
                    Predict((_, classes, probabilities, sets, values, bounds) =>
                    {
                        if (classification) parquet.WriteClasses(model.ClassLabels!, classes, proba ? probabilities : null, sets);
                        else parquet.WriteValues(values, bounds?.Lower, bounds?.Upper);
                    });
                });
            }
            else
            {
                PredictionCsv.WriteFileAtomically(outPath, WriteCsv);
            }
            remarks.AddAll(warnings.Messages, notes.Messages);
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
                    for (int c = 0; c < model.ClassLabels!.Count; c++) w.WriteNumber(model.ClassLabels[c], counts[c]);
                    w.WriteEndObject();
                    if (set is not null)
                    {
                        // How large the sets are on average: 1 where the model is sure enough for the coverage asked.
                        w.WriteNumber("set_coverage", set.Value);
                        w.WriteNumberOrNull("mean_set_size", rows == 0 ? double.NaN : (double)setMembers / rows);
                    }
                }
                else
                {
                    w.WriteNumberOrNull("mean_prediction", rows == 0 ? double.NaN : sum / rows);
                    if (interval is not null)
                    {
                        w.WriteNumber("interval_coverage", interval.Value);
                        w.WriteNumberOrNull("interval_width", width);
                    }
                }
                remarks.WriteJson(w);
            });
            return Cli.Success;
        }
    }
}
