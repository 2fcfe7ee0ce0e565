using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tensors;
using nietras.SeparatedValues;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop explain</c>: which columns a saved model relies on (permutation importance on labelled data) and why it predicted
/// what it did for given rows (Integrated Gradients by backpropagation to the inputs).
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = ModelOptions.Model();
        var data = ModelOptions.Data("Data with the model's feature columns, by name; with its target column for the importance");
        var delimiter = ModelOptions.Delimiter();
        var decimalSeparator = ModelOptions.Decimal();
        var json = ModelOptions.Json("the importance and attributions");
        var repeats = new Option<int>("--repeats")
        {
            Description = "Shuffles of each column for its importance (the interval comes from their spread; at least 2)",
            DefaultValueFactory = _ => 5,
        }.Between(2, 1_000, "at least 2 shuffles (the interval needs a spread), at most 1000");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the shuffles: same seed, same importances", DefaultValueFactory = _ => 0 };
        var plot = new Option<string>("--plot")
        {
            Description = "Also draw the importance, with its intervals, to a .png or .svg file",
            HelpName = "FILE.png",
        }.PlotPath();
        var rows = new Option<int[]>("--rows")
        {
            Description = "Explain these rows (numbered from 1, as in predict's output; comma-separated): each column's share of the prediction, by Integrated Gradients",
            CustomParser = ParseRows,
            HelpName = "N,M",
        };
        var outPath = new Option<string>("--out")
        {
            Description = "Write the attributions of every row to this CSV file: row, class, value, baseline, one column per input column, gap",
            HelpName = "FILE.csv",
        };
        var steps = new Option<int>("--steps")
        {
            Description = "Points of the Integrated Gradients path from the baseline (the mean row) to the row; more, a smaller completeness gap",
            DefaultValueFactory = _ => 64,
        }.Between(1, 10_000, "an integer from 1 to 10000");
        var dependence = new Option<string>("--dependence")
        {
            Description = "Also draw partial dependence with individual curves (ICE) of the columns: FILE-COLUMN.png (or .svg) for each of --columns, "
                + "or of the 3 most important",
            HelpName = "FILE.png",
        }.PlotPath();
        var columnsOption = new Option<string[]>("--columns")
        {
            Description = "The columns whose dependence --dependence draws, comma-separated (default: the 3 most important, or the first 3 without the target column)",
            CustomParser = r =>
            {
                string text = string.Join(",", r.Tokens.Select(t => t.Value));
                string[] names = text.Split(',', StringSplitOptions.TrimEntries);
                if (names.Any(n => n.Length == 0)) r.AddError($"--columns: expected column names, comma-separated. Received: '{text}'.");
                return names;
            },
            HelpName = "a,b",
        };
        var command = new Command("explain",
            "Explain a saved model. Importance: how much the model's accuracy (or R²) drops when a column's values are shuffled, "
            + "by original column, with a 95% interval over the repeats (needs the target column). Attributions (--rows, --out): how much "
            + "each column moved a row's prediction away from the mean row's, by Integrated Gradients; they add up to the difference.\n\n"
            + "Examples:\n  backprop explain --model pets.safetensors --data test.csv\n"
            + "  backprop explain --model pets.safetensors --data test.csv --rows 1,5 --plot importance.png\n"
            + "  backprop explain --model house.safetensors --data new.csv --out attributions.csv")
        {
            model, data, delimiter, decimalSeparator, repeats, seed, plot, rows, outPath, steps, dependence, columnsOption, json,
        };
        command.SetAction(parse =>
        {
            CheckOutputs(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(outPath), parse.GetValue(plot), dependencePlots: []);
            return ModelLoader.Run(parse.GetValue(model)!,
                new Handler(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(delimiter), parse.GetValue(decimalSeparator), parse.GetValue(repeats),
                    parse.GetValue(seed), parse.GetValue(plot), parse.GetValue(rows) ?? [], parse.GetValue(outPath), parse.GetValue(steps), parse.GetValue(dependence),
                    parse.GetValue(columnsOption) ?? [], parse.GetValue(json), output, error));
        });
        return command;
    }

    // The files explain writes against the files it reads: before the model is read, and again for --dependence's plots once
    // the model's columns are known.
    private static void CheckOutputs(string modelPath, string dataPath, string? outPath, string? plotPath, IEnumerable<string> dependencePlots) =>
        OutputFiles.Check([("--model", modelPath, "the model"), ("--data", dataPath, "the data")],
            [("--out", outPath), ("--plot", plotPath), .. dependencePlots.Select(file => ("--dependence", (string?)file))]);

    private static int[] ParseRows(ArgumentResult result)
    {
        string text = string.Join(",", result.Tokens.Select(t => t.Value));
        var rows = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int row) || row < 1)
            {
                result.AddError($"--rows: expected row numbers from 1 (the first data row, as in predict's output), comma-separated. Received: '{text}'.");
                return [];
            }
            rows.Add(row);
        }
        return [.. rows];
    }

    private sealed class Handler(string modelPath, string dataPath, char? delimiter, char? decimalSeparator, int repeats, ulong seed, string? plotPath, int[] rows, string? outPath,
        int steps, string? dependencePath, string[] dependenceColumns, bool json, TextWriter output, TextWriter error) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (plotPath is not null) PlotFile.Check(plotPath);
            string[] known = [.. model.Preprocessor.State.Features.Select(f => f.Name)];
            if (dependenceColumns.FirstOrDefault(c => !known.Contains(c)) is { } unknown)
            {
                throw new UsageException($"--columns: expected the model's columns ({string.Join(", ", known)}). Received: '{unknown}'.");
            }
            if (dependenceColumns.Length > 0 && dependencePath is null)
            {
                throw new UsageException("--columns: expected together with --dependence FILE.png (it names the columns drawn).");
            }
            if (dependencePath is not null)
            {
                PlotFile.Check(dependencePath);
                // Without --columns, the 3 most important are drawn, which may be any of the model's columns.
                CheckOutputs(modelPath, dataPath, outPath, plotPath,
                    (dependenceColumns.Length > 0 ? dependenceColumns : known).Select(column => DependencePlot.PathFor(dependencePath, column)));
            }
            if (outPath is not null && outPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                // predict writes Parquet for that name; the attributions are CSV only, and CSV bytes in a .parquet file would fool a reader.
                throw new UsageException($"--out: expected a CSV file name (explain writes its attributions as CSV). Received: '{outPath}'.");
            }
            if (outPath is not null) Backprop.IO.AtomicFile.CheckTarget(outPath); // before the work, not after it
            var remarks = new Remarks(error.WriteLine);
            Table table = ModelData.Read(model.Preprocessor, dataPath, delimiter, decimalSeparator, remarks);
            bool labelled = table.Find(model.Preprocessor.State.Target.Name) is not null;
            bool attributions = rows.Length > 0 || outPath is not null;
            if (!labelled && !attributions)
            {
                throw new UsageException($"--data: expected the target column '{model.Preprocessor.State.Target.Name}' for the importance (or --rows, --out for attributions alone). "
                    + $"Received: {ModelData.Name(dataPath)} without it.");
            }
            if (rows.FirstOrDefault(r => r > table.RowCount) is int past and > 0)
            {
                throw new UsageException($"--rows: expected row numbers from 1 to {table.RowCount} (the rows of {ModelData.Name(dataPath)}). Received: {past}.");
            }
            bool regression = model.Task == TaskKind.Regression;
            string metric = regression ? "R²" : "accuracy";

            IReadOnlyList<ColumnImportance>? importance = null;
            double score = double.NaN;
            int scored = 0;
            if (labelled)
            {
                var warnings = new List<string>();
                var imputed = new List<string>();
                Dataset<T> labelledRows = model.Preprocessor.Transform<T>(table, warnings: warnings, notes: imputed);
                remarks.AddAll(warnings, imputed);
                scored = labelledRows.Count;
                if (scored == 0)
                {
                    throw new BackpropException($"{dataPath}: expected rows with a value in the target column '{model.Preprocessor.State.Target.Name}' to measure the importance on. Received: none.");
                }
                score = PermutationImportance.Score(model, labelledRows);
                importance = PermutationImportance.Compute(model, labelledRows, repeats, seed);
            }

            RowAttribution[]? explained = null;
            Matrix<T>? features = null;
            if (attributions)
            {
                features = Features(model, table, labelled, remarks);
                explained = Attributions.IntegratedGradients(model, features, steps: steps);
                if (outPath is not null)
                {
                    PredictionCsv.WriteFileAtomically(outPath, writer => WriteAttributions(writer, model, explained));
                }
            }
            string[] columns = known;
            var dependencePlots = new List<string>();
            if (dependencePath is not null)
            {
                string[] drawn = dependenceColumns.Length > 0 ? dependenceColumns
                    : importance is not null ? [.. importance.Take(3).Select(c => c.Column)] : [.. known.Take(3)];
                foreach (string column in drawn)
                {
                    string file = DependencePlot.PathFor(dependencePath, column);
                    features ??= Features(model, table, labelled, remarks);
                    PlotFile.Save(DependencePlot.Create(PartialDependence.Compute(model, features, column)), file);
                    dependencePlots.Add(file);
                }
            }
            if (plotPath is not null && importance is not null)
            {
                PlotFile.Save(ImportancePlot.Create(importance, regression ? "drop in R²" : "drop in accuracy"), plotPath);
            }
            if (json)
            {
                Json.WriteObject(output, w =>
                {
                    w.WriteString("task", regression ? "regression" : "classification");
                    w.WriteString("metric", regression ? "r2" : "accuracy");
                    if (importance is not null)
                    {
                        w.WriteNumber("rows", scored);
                        w.WriteNumberOrNull("score", score);
                        w.WriteNumber("repeats", repeats);
                        w.WriteStartArray("importance");
                        foreach (ColumnImportance c in importance)
                        {
                            w.WriteStartObject();
                            w.WriteString("column", c.Column);
                            w.WriteNumberOrNull("mean", c.Mean);
                            w.WriteNumberOrNull("ci_low", c.Low);
                            w.WriteNumberOrNull("ci_high", c.High);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }
                    if (explained is not null && rows.Length > 0)
                    {
                        w.WriteStartArray("attributions");
                        foreach (int row in rows)
                        {
                            RowAttribution a = explained[row - 1];
                            w.WriteStartObject();
                            w.WriteNumber("row", row);
                            if (!regression) w.WriteString("class", model.ClassLabels![a.Class]);
                            w.WriteNumberOrNull("value", a.Value);
                            w.WriteNumberOrNull("baseline", a.Baseline);
                            w.WriteStartObject("columns");
                            for (int c = 0; c < columns.Length; c++) w.WriteNumberOrNull(columns[c], a.Columns[c]);
                            w.WriteEndObject();
                            w.WriteNumberOrNull("gap", a.Gap);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }
                    if (outPath is not null) w.WriteString("out", outPath);
                    if (plotPath is not null && importance is not null) w.WriteString("plot", plotPath);
                    if (dependencePlots.Count > 0) w.WriteStrings("dependence_plots", dependencePlots);
                    remarks.WriteJson(w);
                });
                return Cli.Success;
            }
            if (importance is not null)
            {
                output.WriteLine($"Permutation importance on {ModelData.Name(dataPath)} ({scored} rows, {metric} {Format(score)}):");
                output.WriteLine($"the drop in {metric} when a column is shuffled; mean and 95% interval of {repeats} shuffles");
                string[] names = [.. importance.Select(c => Printable.OneLine(c.Column))];
                int width = Math.Max(6, names.Max(CellText.Width));
                output.WriteLine($"  {"column".PadRight(width)}     drop  interval");
                for (int i = 0; i < importance.Count; i++)
                {
                    ColumnImportance c = importance[i];
                    output.WriteLine($"  {CellText.PadRight(names[i], width)}  {Signed(c.Mean),7}  [{Signed(c.Low)}, {Signed(c.High)}]");
                }
            }
            foreach (int row in rows)
            {
                RowAttribution a = explained![row - 1];
                output.WriteLine();
                string what = regression ? $"predicted {Format(a.Value)}" : $"predicted '{Printable.OneLine(model.ClassLabels![a.Class])}' with probability {Format(a.Value)}";
                output.WriteLine($"Row {row}: {what} (the mean row: {Format(a.Baseline)})");
                output.WriteLine("each column's share of the difference, by Integrated Gradients:");
                int width = Math.Max(6, columns.Max(c => CellText.Width(Printable.OneLine(c))));
                foreach (int c in Enumerable.Range(0, columns.Length).OrderByDescending(c => Math.Abs(a.Columns[c])))
                {
                    output.WriteLine($"  {CellText.PadRight(Printable.OneLine(columns[c]), width)}  {Signed(a.Columns[c]),8}");
                }
                output.WriteLine($"  {"(gap)".PadRight(width)}  {Signed(a.Gap),8}");
            }
            if (outPath is not null) output.WriteLine($"{(importance is not null || rows.Length > 0 ? "\n" : "")}Wrote the attributions of {explained!.Length} rows to {outPath}");
            if (plotPath is not null && importance is not null) output.WriteLine($"Plot written to {plotPath}");
            if (dependencePlots.Count > 0) output.WriteLine($"Partial dependence plots written to {string.Join(", ", dependencePlots)}");
            return Cli.Success;
        }

        // Every row encoded (the rows without a target too); what the encoding noticed is said once: by the labelled pass if there was one.
        private static Matrix<T> Features<T>(TabularModel<T> model, Table table, bool labelled, Remarks remarks) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var warnings = new List<string>();
            var imputed = new List<string>();
            Matrix<T> features = model.Preprocessor.TransformFeatures<T>(table, warnings: warnings, notes: imputed);
            if (!labelled) remarks.AddAll(warnings, imputed);
            return features;
        }

        private static void WriteAttributions<T>(TextWriter writer, TabularModel<T> model, RowAttribution[] explained) where T : unmanaged, IFloatingPointIeee754<T>
        {
            string[] columns = [.. model.Preprocessor.State.Features.Select(f => f.Name)];
            bool regression = model.Task == TaskKind.Regression;
            using SepWriter csv = new SepWriterOptions(new Sep(',')) { Escape = true, CultureInfo = CultureInfo.InvariantCulture }.To(writer, leaveOpen: true);
            string[] fixedColumns = regression ? ["row", "value", "baseline"] : ["row", "class", "value", "baseline"];
            // An input column named like one of the fixed ones gets a prefix, so that the header's names stay distinct.
            csv.Header.Add(fixedColumns);
            csv.Header.Add([.. columns.Select(c => fixedColumns.Contains(c) || c == "gap" ? "column_" + c : c)]);
            csv.Header.Add("gap");
            for (int r = 0; r < explained.Length; r++)
            {
                RowAttribution a = explained[r];
                using SepWriter.Row line = csv.NewRow();
                int i = 0;
                line[i++].Format(r + 1);
                if (!regression) line[i++].Set(model.ClassLabels![a.Class]);
                line[i++].Set(a.Value.ToString("R", CultureInfo.InvariantCulture));
                line[i++].Set(a.Baseline.ToString("R", CultureInfo.InvariantCulture));
                foreach (double v in a.Columns) line[i++].Set(v.ToString("R", CultureInfo.InvariantCulture));
                line[i].Set(a.Gap.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        private static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

        private static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
    }
}
