using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// The training display on a terminal: the notebook's epoch lines, and for runs longer than about a second a live progress bar
/// under them (epoch, batch, loss, validation figures, samples/s, time left), drawn with Spectre.Console.
/// </summary>
/// <remarks>
/// Training runs on a worker thread and only records what happened (this callback); the calling thread does every write to the
/// console, so lines and the live bar never interleave. When output is redirected this class is not used: plain lines only.
/// </remarks>
internal sealed class TerminalTrainingDisplay<T>(IAnsiConsole console, bool epochLines) : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs under this long draw no bar.</summary>
    public static readonly TimeSpan BarDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Stopwatch _clock = new();
    private volatile Snapshot _now = new(0, 0, 0, 0, 0, double.NaN, null, 0);

    private sealed record Snapshot(int Epoch, int FirstEpoch, int Epochs, int Batch, int Batches, double Loss, string? Validation, long Samples);

    /// <summary>Runs <paramref name="fit"/> on a worker thread while drawing its progress; rethrows what it throws.</summary>
    public void Run(Action fit)
    {
        _clock.Start();
        var training = Task.Factory.StartNew(fit, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Short runs print their lines and finish before the bar would appear.
        // Waits without throwing: the worker's exception is rethrown as it is (not wrapped) at the end.
        bool Finished(int milliseconds) => ((IAsyncResult)training).AsyncWaitHandle.WaitOne(milliseconds);
        while (!Finished(50) && _clock.Elapsed < BarDelay)
        {
            Flush(console);
        }
        if (!training.IsCompleted)
        {
            console.Progress()
                .AutoClear(true)
                .HideCompleted(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    ProgressTask bar = context.AddTask("training", maxValue: 1);
                    while (!Finished(100))
                    {
                        Flush(console);
                        Update(bar);
                    }
                    Flush(console);
                    bar.Value = bar.MaxValue;
                });
        }
        Flush(console);
        training.GetAwaiter().GetResult();
    }

    public void OnTrainBegin(TrainingContext<T> context) =>
        _now = _now with { FirstEpoch = context.Options.InitialEpoch, Epochs = context.Options.Epochs, Batches = context.BatchesPerEpoch, Epoch = context.Options.InitialEpoch };

    public void OnBatchEnd(TrainingContext<T> context, int batch, double loss)
    {
        Snapshot now = _now;
        _now = now with { Epoch = context.Epoch, Batch = batch + 1, Loss = loss, Samples = now.Samples + context.Options.BatchSize };
    }

    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        if (epochLines)
        {
            _lines.Enqueue(EpochLine.Format(record));
        }
        string? validation = record.ValidationLoss is { } v
            ? $"val loss {v:F4}" + (record.ValidationMetric is { } m ? $", val {(context.Metric?.Name == "r2" ? "R²" : context.Metric?.Name)} {m:F4}" : "")
            : null;
        _now = _now with { Loss = record.Loss, Validation = validation };
    }

    private void Flush(IAnsiConsole target)
    {
        while (_lines.TryDequeue(out string? line))
        {
            target.WriteLine(line);
        }
    }

    private void Update(ProgressTask bar)
    {
        Snapshot now = _now;
        double total = Math.Max(1.0, (double)now.Epochs * Math.Max(1, now.Batches));
        double done = (double)(now.Epoch - now.FirstEpoch) * now.Batches + now.Batch;
        bar.Value = Math.Clamp(done / total, 0, 1);
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        string rate = (now.Samples / seconds).ToString("N0", CultureInfo.InvariantCulture);
        string text = $"epoch {now.Epoch + 1}/{now.FirstEpoch + now.Epochs}  batch {now.Batch}/{now.Batches}  loss {now.Loss:F4}"
            + (now.Validation is null ? "" : $"  {now.Validation}") + $"  {rate} samples/s";
        bar.Description = Markup.Escape(text);
    }
}
