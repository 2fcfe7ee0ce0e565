using System.Numerics;
using Backprop.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>
/// The training display on a terminal: the notebook's epoch lines, and for runs longer than about a second one progress line
/// under them (epoch, batch, bar, running loss, validation figures, samples/s, time left; see <see cref="ProgressLine"/>),
/// redrawn in place about ten times a second.
/// </summary>
/// <remarks>
/// <para>
/// Training runs on a worker thread and only records what happened (this callback); the calling thread does every write to the
/// console, so lines and the bar never interleave. Each refresh writes all the lines queued since the last one and then the
/// bar, in one write: the bar moves even while thousands of short epochs a second print their lines, and the queue is bounded
/// (<see cref="LineQueue"/>), so that the screen keeps up with the training and Ctrl+C is not kept waiting for a backlog.
/// </para>
/// <para>
/// The loss shown is a running figure, not the last batch's (which jumps from batch to batch, and with batch size 1 from
/// sample to sample): the mean over the last epoch's worth of batches, in which the previous epoch's loss stands for the
/// batches the current epoch has not reached yet. It is the mean of the batches so far during the first epoch and the epoch
/// line's loss at the end of every epoch. An epoch's last batch is left out of it: it may hold fewer samples, how many only
/// the trainer knows, and counted as a full one it pulled the figure away from the epoch's loss (a fifth of the weight for
/// 14 of wine's 142 samples at batch size 32).
/// </para>
/// <para>
/// The bar is one line that the display redraws itself (carriage return, the line, erase to its end) rather than Spectre's
/// Progress or Live widgets: those lay the figures out in a grid that wraps on a narrow terminal, redraw the whole widget for
/// every line written above it, refresh from a thread of their own, and clear the screen and its scrollback when the terminal
/// is made narrower. The cursor stays visible: a second Ctrl+C ends the process at once, and would leave it hidden.
/// </para>
/// <para>When output is redirected this class is not used: plain lines only.</para>
/// </remarks>
internal sealed class TerminalTrainingDisplay<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs under this long draw no bar.</summary>
    public static readonly TimeSpan BarDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often the bar is redrawn (and queued lines written, sooner when many are waiting).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Lines that may wait to be written before the training thread waits: a few frames' worth at the fastest epochs seen
    /// (thousands a second), written in a few milliseconds, so the screen is never more than that behind the training.
    /// </summary>
    public const int MaxQueuedLines = 1000;

    // Written raw: the start of the line, erase the line, erase from the cursor to the end of the line.
    private const string LineStart = "\r";
    private const string EraseLine = "\u001b[2K";
    private const string EraseToEnd = "\u001b[K";

    private readonly IAnsiConsole _console;
    private readonly TextWriter? _notes;
    private readonly bool _epochLines;
    private readonly TimeProvider _time;
    private readonly LineQueue<QueuedLine> _lines = new(MaxQueuedLines);
    private readonly object _progressGate = new();
    private readonly Pace _pace;
    private long _runStarted;
    private bool _barShown;

    // The run as the callbacks report it, under _progressGate: written by the training thread, read by the drawing one.
    private int _epoch, _firstEpoch, _epochs, _batch, _batches, _batchSize;
    private string? _metricName;
    private bool _hasValidation;
    private long _samples;
    private double _epochLossSum;
    private int _epochLossCount;
    private double? _previousEpochLoss;
    private double? _validationLoss, _validationMetric;

    /// <param name="console">The terminal.</param>
    /// <param name="epochLines">Print the notebook's line after every epoch.</param>
    /// <param name="time">The clock (the bar's delay, samples/s, time left); the system's unless a test sets it.</param>
    /// <param name="notes">Where <see cref="Note"/> lines go (standard error); none when a test leaves it out.</param>
    public TerminalTrainingDisplay(IAnsiConsole console, bool epochLines, TimeProvider? time = null, TextWriter? notes = null)
    {
        _console = console;
        _notes = notes;
        _epochLines = epochLines;
        _time = time ?? TimeProvider.System;
        _pace = new Pace(_time);
    }

    /// <summary>Runs <paramref name="fit"/> on a worker thread while drawing its progress; rethrows what it throws.</summary>
    public void Run(Action fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Start();
        var training = Task.Factory.StartNew(() =>
        {
            try
            {
                fit();
            }
            finally
            {
                _lines.Complete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            bool finished;
            do
            {
                _lines.Wait(RefreshInterval);
                // Read before the lines are taken: once the run has finished, every line it made is in the queue.
                finished = _lines.IsCompleted;
                Draw(finished);
            }
            while (!finished);
        }
        finally
        {
            // Also when writing failed: the training thread must never wait for a writer that has gone.
            _lines.Close();
            if (_barShown) ClearBar();
        }
        // The worker's exception is rethrown as it is (not wrapped).
        training.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes <paramref name="line"/> (a note, a warning, the Ctrl+C message) to the notes writer in its place among the epoch
    /// lines, with the bar out of its way: written directly, a line on standard error would land on the bar's line, or above
    /// epoch lines still queued. Safe from any thread; written at once when the display is not (or no longer) drawing.
    /// </summary>
    public void Note(string line)
    {
        if (_notes is not null && !_lines.Add(new QueuedLine(line, IsNote: true)))
        {
            _notes.WriteLine(line);
        }
    }

    /// <summary>The run starts now: the bar may show from <see cref="BarDelay"/> on.</summary>
    internal void Start() => _runStarted = _time.GetTimestamp();

    /// <summary>
    /// One refresh: writes the lines queued, then the bar when the run has gone on for <see cref="BarDelay"/>; the last one
    /// (<paramref name="finished"/>) leaves no bar behind.
    /// </summary>
    internal void Draw(bool finished)
    {
        List<QueuedLine> lines = _lines.TakeAll();
        if (!_barShown && !finished && _time.GetElapsedTime(_runStarted) >= BarDelay && _console.Profile.Capabilities.Ansi)
        {
            // A terminal without escape codes cannot redraw a line in place: it gets the lines alone.
            _barShown = true;
        }
        var frame = new List<Segment>();
        if (_barShown)
        {
            // Back to the start of the bar's line. The lines go over it (erased first: the bar may be longer than they are).
            frame.Add(Segment.Control(LineStart));
            if (lines.Count > 0 || finished) frame.Add(Segment.Control(EraseLine));
        }
        foreach (QueuedLine line in lines)
        {
            if (line.IsNote)
            {
                // Everything before it reaches the terminal first, then the note on its own stream.
                if (frame.Count > 0) _console.Write(new Frame(frame));
                frame = [];
                _notes!.WriteLine(line.Text);
                _notes.Flush();
            }
            else
            {
                // An epoch line wider than the terminal breaks between words, as the reports after it do (not "Loss" / ": 0.13").
                foreach (string physical in WrappedLines.Wrap(line.Text, _console.Profile.Width)) frame.Add(new Segment(physical + "\n"));
            }
        }
        if (_barShown && !finished)
        {
            // The line is drawn over the last one and what is left of that erased after it: no blank moment, no flicker.
            frame.AddRange(ProgressLine.Layout(Progress(), _console.Profile.Width).Segments(_console.Profile.Capabilities.Unicode));
            frame.Add(Segment.Control(EraseToEnd));
        }
        if (finished) _barShown = false;
        if (frame.Count > 0) _console.Write(new Frame(frame));
    }

    /// <summary>Where the run stands now.</summary>
    internal TrainingProgress Progress()
    {
        lock (_progressGate)
        {
            long total = (long)_epochs * _batches, steps = StepsDone();
            (double? stepsPerSecond, double? samplesPerSecond) = _pace.At(_time.GetTimestamp(), steps, _samples);
            return new TrainingProgress(_epoch, _firstEpoch, _epochs, _batch, _batches, RunningLoss(), _hasValidation, _validationLoss, _validationMetric,
                _metricName, stepsPerSecond, samplesPerSecond, TrainingProgress.TimeFor(total - steps, stepsPerSecond));
        }
    }

    public void OnTrainBegin(TrainingContext<T> context)
    {
        lock (_progressGate)
        {
            _firstEpoch = context.Options.InitialEpoch;
            _epoch = context.Options.InitialEpoch;
            _epochs = context.Options.Epochs;
            _batches = context.BatchesPerEpoch;
            _batchSize = context.Options.BatchSize;
            _metricName = context.Metric?.Name;
            _hasValidation = context.Validation is not null;
            _pace.Start(_time.GetTimestamp());
        }
    }

    public void OnEpochBegin(TrainingContext<T> context)
    {
        lock (_progressGate)
        {
            _epoch = context.Epoch;
            _batch = 0;
            _epochLossSum = 0;
            _epochLossCount = 0;
        }
    }

    public void OnBatchEnd(TrainingContext<T> context, int batch, double loss)
    {
        lock (_progressGate)
        {
            _batch = batch + 1;
            if (batch < _batches - 1)
            {
                _epochLossSum += loss;
                _epochLossCount++;
            }
            // Every batch counts as full (see TrainingProgress.SamplesPerSecond).
            _samples += _batchSize;
        }
    }

    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        lock (_progressGate)
        {
            _batch = _batches;
            _previousEpochLoss = record.Loss;
            _epochLossSum = 0;
            _epochLossCount = 0;
            _validationLoss = record.ValidationLoss;
            _validationMetric = record.ValidationMetric;
            _pace.EpochEnded(_time.GetTimestamp(), StepsDone(), _samples);
        }
        // Outside the lock: this may wait for room in the queue, and the drawing thread reads the progress meanwhile.
        if (_epochLines) _lines.Add(new QueuedLine(EpochLine.Format(record), IsNote: false));
    }

    // Under _progressGate.
    private long StepsDone() => TrainingProgress.StepsAt(_epoch - _firstEpoch, _batch, _batches, (long)_epochs * _batches);

    // The mean over the last epoch's worth of full batches (see the remarks), or null before there is one; under _progressGate.
    private double? RunningLoss()
    {
        if (_epochLossCount == 0) return _previousEpochLoss;
        if (_previousEpochLoss is not { } previous) return _epochLossSum / _epochLossCount;
        int fullBatches = Math.Max(_batches - 1, _epochLossCount);
        return (_epochLossSum + previous * (fullBatches - _epochLossCount)) / fullBatches;
    }

    // Erases the bar, leaving the cursor at the start of its (now empty) line for whatever is printed next.
    private void ClearBar()
    {
        _barShown = false;
        _console.Write(new Frame([Segment.Control(LineStart), Segment.Control(EraseLine)]));
    }

    // An epoch line for the console, or a note for the notes writer.
    private readonly record struct QueuedLine(string Text, bool IsNote);

    // Segments written as they are, in one write to the console.
    private sealed class Frame(List<Segment> segments) : Renderable
    {
        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => segments;
    }
}
