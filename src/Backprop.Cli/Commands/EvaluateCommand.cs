using System.CommandLine;
using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop evaluate</c>: a saved model's metrics on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = ModelOptions.Model();
        var data = ModelOptions.Data("Labelled data: the model's feature columns and its target column, by name (order and extra columns do not matter)");
        var delimiter = ModelOptions.Delimiter();
        var decimalSeparator = ModelOptions.Decimal();
        var json = ModelOptions.Json("the metrics");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the main metric, as one line (Accuracy: 0.96, or R²: 0.87)" };
        var plot = new Option<string>("--plot")
        {
            Description = "Also draw the confusion matrix (classification) or predicted vs. actual values (regression) to a .png or .svg file",
            HelpName = "FILE.png",
        }.PlotPath();
        var reliability = new Option<string>("--reliability-plot")
        {
            Description = "Also draw the reliability diagram (accuracy against confidence, per bin; classification) to a .png or .svg file",
            HelpName = "FILE.png",
        }.PlotPath();
        var reportPath = new Option<string>("--report")
        {
            Description = "Also write one self-contained HTML page: the metrics, confusion matrix and reliability (or predicted vs. actual), the permutation importance of the columns and the partial dependence of the 3 most important",
            HelpName = "FILE.html",
        }.ReportPath();
        var command = new Command("evaluate",
            "Measure a saved model on labelled data. Classification: accuracy, balanced accuracy, macro/weighted F1, log loss, "
            + "per-class precision/recall/F1 and the confusion matrix. Regression: R², MAE, RMSE.\n\n"
            + "Examples:\n  backprop evaluate --model iris.safetensors --data test.csv\n  backprop evaluate --model house.safetensors --data test.csv --json --plot fit.png")
        {
            model, data, delimiter, decimalSeparator, json, quiet, plot, reliability, reportPath,
        };
        command.SetAction(parse =>
        {
            OutputFiles.Check([(model.Name, parse.GetValue(model), "the model"), (data.Name, parse.GetValue(data), "the data")],
                [(plot.Name, parse.GetValue(plot)), (reliability.Name, parse.GetValue(reliability)), (reportPath.Name, parse.GetValue(reportPath))]);
            return ModelLoader.Run(parse.GetValue(model)!,
                new Handler(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(delimiter), parse.GetValue(decimalSeparator), parse.GetValue(json), parse.GetValue(quiet),
                    parse.GetValue(plot), parse.GetValue(reliability), parse.GetValue(reportPath), output, error));
        });
        return command;
    }

    private sealed class Handler(string modelPath, string dataPath, char? delimiter, char? decimalSeparator, bool json, bool quiet, string? plotPath, string? reliabilityPath,
        string? reportPath, TextWriter output, TextWriter error) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (plotPath is not null)
            {
                PlotFile.Check(plotPath); // before reading the data
            }
            if (reliabilityPath is not null)
            {
                if (model.Task == TaskKind.Regression)
                {
                    throw new UsageException("--reliability-plot: expected a classification model. Received: a regression model (it has no probabilities to calibrate).");
                }
                PlotFile.Check(reliabilityPath);
            }
            if (reportPath is not null) HtmlReport.Check(reportPath);
            var remarks = new Remarks(error.WriteLine);
            // The HTML report's importance and dependence predict the rows again with columns shuffled: they need the table. The
            // metrics alone need only each row's prediction and target, so the data is read a chunk at a time.
            Dataset<T>? dataset = null;
            IMetricsReport report;
            if (reportPath is not null)
            {
                dataset = ModelData.Labelled<T>(model.Preprocessor, dataPath, delimiter, decimalSeparator, remarks);
                report = MetricsReport.Evaluate(model, dataset);
            }
            else
            {
                var warnings = new TransformRemarks();
                var notes = new TransformRemarks();
                report = MetricsReport.Evaluate(model, ModelData.ReadChunks(model.Preprocessor, dataPath, delimiter, decimalSeparator, remarks), warnings, notes);
                remarks.AddAll(warnings.Messages, notes.Messages);
            }
            if (report.Count == 0)
            {
                throw new BackpropException($"{dataPath}: expected rows with a value in the target column '{model.Preprocessor.State.Target.Name}' to evaluate the model on. Received: none.");
            }
            if (plotPath is not null)
            {
                PlotFile.Save(report is ClassificationReport classes
                    ? ConfusionMatrixPlot.Create(classes.ConfusionMatrix, classes.Labels)
                    : PredictedVsActualPlot.Create(((RegressionReport)report).Actual, ((RegressionReport)report).Predicted), plotPath);
            }
            if (reliabilityPath is not null && report is ClassificationReport calibrated)
            {
                PlotFile.Save(ReliabilityPlot.Create(calibrated.Reliability, calibrated.CalibrationError), reliabilityPath);
            }
            if (reportPath is not null && dataset is not null)
            {
                var html = new HtmlReport($"Evaluation of {ModelData.Name(dataPath)}");
                html.Paragraph($"The model {modelPath} ({(model.Task == TaskKind.Regression ? "regression" : "classification")} of '{model.Preprocessor.State.Target.Name}') on {dataPath}, {dataset.Count:N0} rows.");
                ReportPages.AddRemarks(html, remarks);
                ReportPages.AddMetrics(html, report, "Metrics", $"Evaluation of {ModelData.Name(dataPath)}");
                ReportPages.AddImportance(html, model, dataset, $"the rows of {ModelData.Name(dataPath)}");
                html.Save(reportPath);
            }
            if (json)
            {
                Json.WriteObject(output, w =>
                {
                    w.WriteString("task", model.Task == TaskKind.Regression ? "regression" : "classification");
                    report.WriteJson(w);
                    remarks.WriteJson(w);
                });
            }
            else if (quiet) output.WriteLine(report.Headline("").TrimStart()); // as a script reads it: one line, full precision
            else report.WriteText(output, $"Evaluation of {ModelData.Name(dataPath)}");
            if (plotPath is not null && !json && !quiet) output.WriteLine($"Plot written to {plotPath}");
            if (reliabilityPath is not null && !json && !quiet) output.WriteLine($"Reliability diagram written to {reliabilityPath}");
            if (reportPath is not null && !json && !quiet) output.WriteLine($"Report written to {reportPath}");
            return Cli.Success;
        }
    }
}
