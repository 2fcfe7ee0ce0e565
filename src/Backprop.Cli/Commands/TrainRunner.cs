using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Backprop.Cli.Rendering;
using Backprop.Estimators;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary>Runs <c>train</c>: hands the options to the library's <see cref="TabularTrainer{T}"/>, shows its progress, and reports.</summary>
internal static class TrainRunner
{
    public static int Run(TrainRequest request, TextWriter output, TextWriter notes) =>
        request.Distributed == "mpi" ? DistributedRun.Mpi(request, output, notes, RunOneRank) : RunOneRank(request, output, notes);

    private static int RunOneRank(TrainRequest request, TextWriter output, TextWriter notes)
    {
        // The precision is the one decision left to the command line, because it is a type: given, or the resumed file's.
        bool f64 = request.Precision switch
        {
            "f64" => true,
            "f32" => false,
            _ => request.Resume is { } path && ModelFile.StoredPrecision(SafeTensors.Load(path), path) == TensorDType.F64,
        };
        return f64 ? Run<double>(request, output, notes) : Run<float>(request, output, notes);
    }

    private static int Run<T>(TrainRequest request, TextWriter output, TextWriter notes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TabularTrainer<T> trainer = Usage(request, () => request.Resume is { } path
            ? TabularTrainer<T>.Resume(path, request.Apply)
            : new TabularTrainer<T>(request.Fresh()));
        trainer.Collective = request.Collective;
        CheckOutputs(request, trainer.Options);
        if (request.Plot is { } plot)
        {
            // Found now, not after the whole run (which then ended without its metrics).
            PlotFile.Check(plot);
        }
        if (request.Report is { } report)
        {
            HtmlReport.Check(report);
        }
        var metric = new MetricName<T>();
        trainer.Callbacks.Add(metric);
        bool epochLines = !request.Quiet && !request.Json;
        TerminalTrainingDisplay<T>? display = request.Interactive && !request.Json && !request.Quiet ? TerminalDisplay<T>(epochLines, notes) : null;
        if (display is not null) trainer.Callbacks.Add(display);
        else if (epochLines) trainer.Callbacks.Add(new EpochLinePrinter<T>(output));
        // Through the display when there is one, so that a line never lands on the progress bar.
        void Say(string line)
        {
            if (display is not null) display.Note(line);
            else notes.WriteLine(line);
        }
        var remarks = new Remarks(Say);
        int processors = Environment.ProcessorCount;
        if (request.Threads > processors)
        {
            // More threads than processors only take turns on them: the results are the same for any count, the time is not.
            remarks.Note($"--threads {request.Threads}: this machine has {processors} {(processors == 1 ? "processor" : "processors")}, so the kernels use {processors}");
        }
        // The ranks of an MPI job on one machine share its processors: each takes its part unless --threads says otherwise
        // (Open MPI tells a rank how many ranks run on its machine).
        int ranksHere = request.Collective is not null
            && int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out int local)
            && local > 1 ? local : 1;
        Tensors.Parallelism.MaxThreads = Math.Min(request.Threads ?? Math.Max(1, processors / ranksHere), processors);
        // A file's run says where its settings come from, once its data is read (an error before that stays one line), the
        // notebook's own run (no file) prints nothing but its epochs.
        string? recipe = request.Resume is null && trainer.Options.Data is not null
            ? request.RecipeFor(trainer.Options) is var name && name == TrainRequest.DataRecipe && request.Recipe is null
                ? $"recipe {name}, the default for a data file (--recipe plain or tabular for the others)"
                : $"recipe {name}"
            // Given again with --resume (the command line that started the run, repeated), it changes nothing: said, not refused.
            : request.Resume is not null && request.Recipe is { } given
                ? $"--recipe {given}: a resumed run continues with the options of its file; the recipe is not applied (change single options with their flags)"
                : null;
        trainer.Notes = note =>
        {
            if (note.IsWarning) remarks.Warning(note.Format(request.FlagOf));
            else remarks.Note(note.Format(request.FlagOf));
            // After the first note, the one that says what was read.
            if (recipe is not null)
            {
                remarks.Note(recipe);
                recipe = null;
            }
        };

        // First Ctrl+C: finish the current batch, save the best model so far (with --save), exit 130. Second: quit at once.
        // SIGTERM (kill, a scheduler's stop) is handled alike: the best model so far is not lost.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(request.Interrupt);
        void Interrupt(PosixSignalContext signal)
        {
            if (interrupt.IsCancellationRequested) return; // a second Ctrl+C or SIGTERM: the default action, quit at once
            signal.Cancel = true;
            Say(request.Collective is { Size: > 1 } ? "Stopping every rank after the current batch…" : "Stopping after the current batch (Ctrl+C again to quit at once)…");
            try
            {
                interrupt.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The signal came as the run was ending (a distributed run's other rank stopped it first): it leaves anyway.
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        // mpirun ends the job at once on Ctrl+C and does not pass SIGINT on; it passes SIGUSR1 to every rank, so that one stops a
        // distributed run as Ctrl+C stops one process (kill -USR1 on mpirun). The ranks agree on the step to stop at.
        using IDisposable? sigusr1 = request.Collective is not null && !OperatingSystem.IsWindows() ? RankStopSignal.Route(Interrupt) : null;

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TabularTrainingResult<T>? result = null;
        try
        {
            void Fit() => result = Usage(request, () => trainer.Fit(interrupt.Token));
            if (display is not null) display.Run(Fit);
            else Fit();
        }
        catch (TrainingCanceledException canceled)
        {
            if (canceled.SavedPath is { } saved) notes.WriteLine($"Saved the best model so far (epoch {canceled.SavedEpoch}) to {saved}");
            if (request.Plot is { } plotPath && canceled.History.Count > 0)
            {
                // The curves so far are what a stopped run is judged by.
                bool validation = canceled.History[0].ValidationLoss is not null;
                SavePlot(plotPath, canceled.History, validation, $"validation {metric.Name ?? "metric"}");
                notes.WriteLine($"Plot of epochs {canceled.History[0].Epoch} to {canceled.History[^1].Epoch} written to {plotPath}");
            }
            throw;
        }
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        return Report(result!, request, output, remarks, seconds);
    }

    // What the run gave, for people (the notebook's closing line first) or as one JSON object.
    private static int Report<T>(TabularTrainingResult<T> result, TrainRequest request, TextWriter output, Remarks remarks, double seconds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool regression = result.Model.Task == TaskKind.Regression;
        // A cross-fitted ensemble validates on its own training rows, each by the member that held it out: "out-of-fold".
        bool outOfFold = result.Folds is not null;
        bool validation = result.ValidationData is not null || outOfFold;
        string heldOut = outOfFold ? "Out-of-fold" : "Validation";
        IMetricsReport trainReport = MetricsReport.Evaluate(result.Model, result.TrainingData);
        IMetricsReport? validationReport = result.ValidationData is { } held ? MetricsReport.Evaluate(result.Model, held)
            : result.Folds is { } folds ? MetricsReport.OutOfFold(result.Model, result.TrainingData, folds)
            : null;
        if (request.Plot is { } plotPath)
        {
            SavePlot(plotPath, result.History, validation, $"{heldOut.ToLowerInvariant()} {(regression ? "R²" : "accuracy")}", heldOut.ToLowerInvariant());
        }
        string? save = result.Options.SavePath;
        if (request.Report is { } reportPath)
        {
            WriteReport(reportPath, result, trainReport, validationReport, heldOut, remarks, seconds);
        }
        if (request.Json)
        {
            WriteJson(output, result, regression, trainReport, validationReport, save, request.Plot, remarks, seconds);
            return Cli.Success;
        }
        // Restoring the best epoch without early stopping (--restore-best) is told by the library's own note.
        if (result.BestEpoch is { } best && result.Options.EarlyStopping is not null && result.History.Count > 0 && !request.Quiet)
        {
            string monitored = outOfFold ? "out-of-fold loss" : validation ? "validation loss" : "training loss";
            string ended = result.StoppedEpoch is { } stopped ? $"stopped after epoch {stopped}" : "ran all epochs";
            output.WriteLine($"Early stopping: {ended}; restored the weights of epoch {best} ({monitored} {Format(result.BestLoss ?? double.NaN)}).");
        }
        // The notebook's closing line, exactly: "Training Accuracy: 0.98".
        output.WriteLine(trainReport.Headline("Training"));
        if (validationReport is not null)
        {
            output.WriteLine(validationReport.Headline(heldOut));
            if (!request.Quiet) validationReport.WriteText(output, heldOut);
        }
        if (!request.Quiet)
        {
            if (save is not null) output.WriteLine($"Saved model to {save}");
            if (request.Plot is not null) output.WriteLine($"Plot written to {request.Plot}");
            if (request.Report is not null) output.WriteLine($"Report written to {request.Report}");
        }
        return Cli.Success;
    }

    // The HTML page of the run: what was read and decided, the curves, the metrics (held-out first), the importance.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteReport<T>(string path, TabularTrainingResult<T> result, IMetricsReport trainReport, IMetricsReport? heldOutReport,
        string heldOut, Remarks remarks, double seconds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TabularTrainingOptions options = result.Options;
        string source = options.Data is { } data ? ModelData.Name(data) : $"the embedded {options.Dataset} data set";
        var html = new HtmlReport($"Training on {source}");
        string kept = result.BestEpoch is { } best ? $", the model of epoch {best} kept" : "";
        string saved = options.SavePath is { } save ? $", saved to {save}." : ".";
        html.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{(result.Model.Task == TaskKind.Regression ? "Regression" : "Classification")} of '{result.Model.Preprocessor.State.Target.Name}': {result.History.Count} epochs in {seconds:0.0} s{kept}{saved}"));
        ReportPages.AddRemarks(html, remarks);
        bool validation = heldOutReport is not null;
        html.Heading("Training curves");
        html.Figure(TrainingPlot.Create(result.History.Select(e => e.Loss).ToArray(),
            validation ? result.History.Select(e => e.ValidationLoss ?? double.NaN).ToArray() : null,
            validation ? result.History.Select(e => e.ValidationMetric ?? double.NaN).ToArray() : null,
            $"{heldOut.ToLowerInvariant()} {(result.Model.Task == TaskKind.Regression ? "R²" : "accuracy")}", heldOut.ToLowerInvariant()),
            validation ? $"The loss per epoch on the training rows and on the {heldOut.ToLowerInvariant()} rows, and the {heldOut.ToLowerInvariant()} metric." : "The training loss per epoch.");
        if (heldOutReport is not null)
        {
            ReportPages.AddMetrics(html, heldOutReport, $"{heldOut} metrics", heldOut);
        }
        // The pictures of the rows the model trained on say less than the held-out ones: only where there are no others.
        ReportPages.AddMetrics(html, trainReport, "Training metrics", "Training", pictures: heldOutReport is null);
        // On rows the model did not train on when there are some; otherwise on its training rows, which also shows what it memorized.
        if (result.ValidationData is { } held)
        {
            ReportPages.AddImportance(html, result.Model, held, "the validation rows");
        }
        else
        {
            ReportPages.AddImportance(html, result.Model, result.TrainingData,
                result.Folds is null ? "the training rows: it also shows what the model memorized"
                    : $"the training rows, predicted by the ensemble, whose {result.Model.Members} members each trained on {result.Model.Members - 1} of their {result.Model.Members} folds");
        }
        html.Save(path);
    }

    // The run's options, not the command line's: a resumed run reads the data its file names unless --data says otherwise.
    private static void CheckOutputs(TrainRequest request, TabularTrainingOptions options)
    {
        string? save = options.SavePath;
        string? best = save is not null && options.CheckpointEvery is not null ? TabularTrainingOptions.BestPathOf(save) : null;
        // --resume m --save m continues a run in place (the file is read whole before the run): the resumed file then stands for
        // the --save file, which is checked against the other outputs.
        string? resume = request.Resume is { } path && !(save is not null && OutputFiles.Same(path, save)) && !(best is not null && OutputFiles.Same(path, best))
            ? path : null;
        OutputFiles.Check(
            [(request.FlagOf(nameof(TabularTrainingOptions.Data)), options.Data, "the training data"),
             (request.FlagOf(nameof(TabularTrainingOptions.ValidationData)), options.ValidationData, "the validation data"),
             ("--resume", resume, "the model to resume")],
            [(request.FlagOf(nameof(TabularTrainingOptions.SavePath)), save), (request.FlagOf(nameof(TabularTrainingOptions.CheckpointEvery)), best),
             ("--plot", request.Plot), ("--report", request.Report)]);
    }

    // An option the library finds wrong is a usage error, named by its flag (--lr, not LearningRate).
    private static TResult Usage<TResult>(TrainRequest request, Func<TResult> run)
    {
        try
        {
            return run();
        }
        catch (OptionException e)
        {
            throw new UsageException(e.Format(request.FlagOf), e);
        }
        catch (BackpropException e) when (e.Template is not null)
        {
            // A problem of the data whose fix is an option: still a data error, its option named by its flag.
            throw new BackpropException(e.Format(request.FlagOf), e);
        }
    }

    // The epochs' values where they have one. A loop, not LINQ's Where and Select into doubles: those are the framework's generic
    // code over value types, compiled at first use in every run (docs/performance.md, "Start-up").
    private static double[] Present(IReadOnlyList<EpochRecord> history, Func<EpochRecord, double?> value)
    {
        int count = 0;
        for (int i = 0; i < history.Count; i++)
        {
            if (value(history[i]) is not null) count++;
        }
        var values = new double[count];
        count = 0;
        for (int i = 0; i < history.Count; i++)
        {
            if (value(history[i]) is double v) values[count++] = v;
        }
        return values;
    }

    // The --json object. A method of its own, like the two below, so that a plain run never loads System.Text.Json's writer.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteJson<T>(TextWriter output, TabularTrainingResult<T> result, bool regression, IMetricsReport trainReport,
        IMetricsReport? validationReport, string? save, string? plot, Remarks remarks, double seconds) where T : unmanaged, IFloatingPointIeee754<T> =>
        Json.WriteObject(output, w =>
        {
            IReadOnlyList<EpochRecord> history = result.History;
            w.WriteString("task", regression ? "regression" : "classification");
            w.WriteNumber("epochs", history.Count);
            w.WriteStartObject("history");
            w.WriteNumbers("loss", Present(history, e => e.Loss));
            w.WriteNumbers("val_loss", Present(history, e => e.ValidationLoss));
            w.WriteNumbers(regression ? "val_r2" : "val_accuracy", Present(history, e => e.ValidationMetric));
            w.WriteEndObject();
            w.WriteStartObject("train");
            trainReport.WriteJson(w);
            w.WriteEndObject();
            if (validationReport is null || result.Folds is not null)
            {
                w.WriteNull("validation");
            }
            else
            {
                w.WriteStartObject("validation");
                validationReport.WriteJson(w);
                w.WriteEndObject();
            }
            if (validationReport is not null && result.Folds is not null)
            {
                // Cross-fitting: the training rows scored by the members that held them out (history's val_* are these too).
                w.WriteStartObject("out_of_fold");
                validationReport.WriteJson(w);
                w.WriteEndObject();
            }
            if (result.BestEpoch is { } best) w.WriteNumber("best_epoch", best);
            if (!regression) w.WriteNumber("temperature", result.Model.Temperature);
            // Every choice the run made (recipe, network, optimizer, schedule, epochs), as the model file records them.
            w.WritePropertyName("options");
            w.WriteRawValue(result.Options.ToJson());
            if (save is null) w.WriteNull("model");
            else w.WriteString("model", save);
            if (plot is not null) w.WriteString("plot", plot);
            remarks.WriteJson(w);
            w.WriteNumber("seconds", seconds);
        });

    // Kept out of Run so that a plain run never loads Spectre.Console or ScottPlot: the JIT loads every assembly a method names.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TerminalTrainingDisplay<T> TerminalDisplay<T>(bool epochLines, TextWriter notes) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(AnsiConsole.Console, epochLines, notes: notes);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SavePlot(string path, IReadOnlyList<EpochRecord> history, bool validation, string metricName, string heldOut = "validation") =>
        PlotFile.Save(TrainingPlot.Create(history.Select(e => e.Loss).ToArray(),
            validation ? history.Select(e => e.ValidationLoss ?? double.NaN).ToArray() : null,
            validation ? history.Select(e => e.ValidationMetric ?? double.NaN).ToArray() : null,
            metricName, heldOut), path);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    // The name of the metric computed per epoch ("accuracy", "R²"), as the run reports it when it begins.
    private sealed class MetricName<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public string? Name { get; private set; }

        public void OnTrainBegin(TrainingContext<T> context) => Name = context.Metric?.Name;
    }
}
