using System.Text;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Tests.Cli.Rendering;

/// <summary>
/// The live training display as a terminal shows it: scripted callback events, a console of a fixed width writing to memory,
/// and the output replayed on a small terminal model (<see cref="Screen"/>) that says what a person sees and whether a line
/// wrapped. The clock is a manual one, so no test waits for the bar's second.
/// </summary>
public sealed class TerminalTrainingDisplayTests
{
    private const char Done = '━', ToDo = '─';

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(120)]
    [InlineData(200)]
    public void The_progress_line_fits_the_terminal_on_one_line_with_a_bar_of_a_fair_share_of_the_width(int width)
    {
        var (display, clock, output) = Display(width);
        TrainingContext<double> context = Context(epochs: 3000, batches: 142, batchSize: 1, validation: true);
        display.Start();
        display.OnTrainBegin(context);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            RunEpoch(display, context, epoch, Enumerable.Repeat(0.25, 142).ToArray(), epochLoss: 0.25, validationLoss: 0.3, accuracy: 0.95);
            clock.Advance(TimeSpan.FromSeconds(0.5));
            display.Draw(finished: false);
        }
        StartEpoch(display, context, 3, [0.25, 0.25]);
        display.Draw(finished: false);

        Screen screen = Screen.Replay(output.ToString(), width);
        Assert.False(screen.Wrapped, $"a line wrapped at {width} columns:\n{screen}");
        Assert.All(screen.Rows, row => Assert.True(row.Length <= width - 2, $"{row.Length} columns: {row}"));
        Assert.Equal(Enumerable.Range(0, 3).Select(e => $"Epoch {e} Loss: 0.25 Validation Loss: 0.3"), screen.Rows.Take(3));
        string bar = screen.Rows[3];
        int barWidth = bar.Count(c => c is Done or ToDo);
        Assert.InRange(barWidth, width / 5, width * 2 / 5);
        Assert.Contains("epoch 4/3000", bar);
        Assert.Contains("  0%", bar);
        Assert.Contains("loss 0.2500", bar);
        Assert.Matches(@"\d:\d\d left", bar);
        Assert.Equal(4, screen.Rows.Count);
    }

    [Theory]
    // What goes first as the terminal narrows: batch, validation loss (on every epoch line too), samples/s, the metric.
    [InlineData(200, "batch 2/142|val loss 0.3000|val acc 0.9500|samples/s|loss 0.2500|left", "")]
    [InlineData(120, "val acc 0.9500|samples/s|loss 0.2500|left", "batch|val loss")]
    [InlineData(100, "val acc 0.9500|loss 0.2500|left", "batch|val loss|samples/s")]
    [InlineData(80, "loss 0.2500|left", "batch|val loss|samples/s|val acc")]
    public void Figures_are_left_out_in_a_fixed_order_as_the_terminal_narrows(int width, string shown, string left)
    {
        var progress = new TrainingProgress(Epoch: 3, FirstEpoch: 0, Epochs: 3000, Batch: 2, Batches: 142, Loss: 0.25, HasValidation: true,
            ValidationLoss: 0.3, ValidationMetric: 0.95, MetricName: "accuracy", StepsPerSecond: 1500, SamplesPerSecond: 1500,
            TimeLeft: TimeSpan.FromSeconds(298));
        string line = ProgressLine.Layout(progress, width).Text;
        Assert.True(line.Length <= width - 2, $"{line.Length} columns at {width}: {line}");
        Assert.StartsWith("epoch 4/3000", line);
        Assert.Contains("4:58 left", line);
        foreach (string figure in shown.Split('|')) Assert.Contains(figure, line);
        foreach (string figure in left.Split('|', StringSplitOptions.RemoveEmptyEntries)) Assert.DoesNotContain(figure, line);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(20)]
    [InlineData(5)]
    public void A_terminal_too_narrow_for_the_figures_cuts_the_line_rather_than_wrapping_it(int width)
    {
        var progress = new TrainingProgress(12345, 0, 100000, 7, 142, 0.25, true, 0.3, 0.95, "accuracy", 1500, 1500, TimeSpan.FromHours(3));
        string line = ProgressLine.Layout(progress, width).Text;
        Assert.True(line.Length <= Math.Max(0, width - 2), $"{line.Length} columns at {width}: {line}");
    }

    [Fact]
    public void The_loss_shown_is_the_running_mean_not_the_last_batch()
    {
        var (display, clock, output) = Display(120);
        TrainingContext<double> context = Context(epochs: 10, batches: 4, batchSize: 8, validation: false);
        display.Start();
        display.OnTrainBegin(context);
        clock.Advance(TimeSpan.FromSeconds(2));

        // Epoch 0, three batches of four: the mean of those so far, not the 3.0 of the last.
        StartEpoch(display, context, 0, [1.0, 2.0, 3.0]);
        Assert.Contains("loss 2.0000", BarAfterDraw(display, output, 120));
        // The epoch's end: its own loss, as its line prints it (the last batch, 9.0, may be a partial one and is not counted).
        display.OnBatchEnd(context, 3, 9.0);
        display.OnEpochEnd(context, new EpochRecord(0, 2.5, 0.1));
        Assert.Contains("loss 2.5000", BarAfterDraw(display, output, 120));
        // Epoch 1, one batch in: a full epoch's worth of batches, the previous epoch's loss for the two not reached yet.
        StartEpoch(display, context, 1, [0.5]);
        string bar = BarAfterDraw(display, output, 120);
        Assert.Contains("loss 1.8333", bar);
        Assert.DoesNotContain("loss 0.5000", bar);
        Assert.Contains("batch 1/4", bar);
    }

    [Fact]
    public void A_run_shorter_than_the_bar_delay_prints_its_lines_and_no_bar()
    {
        var (display, _, output) = Display(80);
        TrainingContext<double> context = Context(epochs: 3, batches: 2, batchSize: 1, validation: false);
        display.Run(() =>
        {
            display.OnTrainBegin(context);
            for (int epoch = 0; epoch < 3; epoch++) RunEpoch(display, context, epoch, [1.0, 1.0], epochLoss: 1.0);
        });
        Assert.Equal("Epoch 0 Loss: 1\nEpoch 1 Loss: 1\nEpoch 2 Loss: 1\n", output.ToString());
    }

    [Fact]
    public void An_epoch_line_wider_than_the_terminal_breaks_between_words()
    {
        var (display, _, output) = Display(50);
        TrainingContext<double> context = Context(epochs: 1, batches: 1, batchSize: 1, validation: true);
        display.Run(() =>
        {
            display.OnTrainBegin(context);
            RunEpoch(display, context, 0, [1.0], epochLoss: 0.31910665919271747, validationLoss: 0.13621465861797333);
        });
        Assert.Equal("Epoch 0 Loss: 0.31910665919271747 Validation Loss:\n  0.13621465861797333\n", output.ToString());
    }

    [Fact]
    public void A_long_run_draws_the_bar_under_the_lines_and_leaves_only_the_lines()
    {
        var (display, clock, output) = Display(80);
        TrainingContext<double> context = Context(epochs: 50, batches: 3, batchSize: 1, validation: true);
        display.Run(() =>
        {
            display.OnTrainBegin(context);
            clock.Advance(TimeSpan.FromSeconds(2));
            for (int epoch = 0; epoch < 50; epoch++)
            {
                RunEpoch(display, context, epoch, [0.5, 0.5, 0.5], epochLoss: 0.5, validationLoss: 0.6, accuracy: 0.9);
                clock.Advance(TimeSpan.FromMilliseconds(50));
                // Halfway, until the drawing thread has shown the bar at this epoch.
                if (epoch == 25) WaitFor(() => output.ToString().Contains("epoch 26/50", StringComparison.Ordinal));
            }
        });

        Screen screen = Screen.Replay(output.ToString(), 80);
        Assert.False(screen.Wrapped, screen.ToString());
        // Every line once, in order, nothing of the bar left over: the lines and the bar never mixed.
        Assert.Equal(Enumerable.Range(0, 50).Select(e => $"Epoch {e} Loss: 0.5 Validation Loss: 0.6"), screen.Rows.Where(row => row.Length > 0));
        Assert.Equal(51, screen.Rows.Count);
        Assert.Equal("", screen.Rows[^1]);
    }

    [Fact]
    public void A_note_written_during_the_run_gets_a_line_of_its_own_in_its_place_among_the_epoch_lines()
    {
        // Standard error on the same terminal, as usual: written directly, the note landed on the bar's line.
        var clock = new ManualClock();
        var (console, output) = Terminal(80);
        var display = new TerminalTrainingDisplay<double>(console, epochLines: true, clock, notes: output);
        TrainingContext<double> context = Context(epochs: 10, batches: 2, batchSize: 1, validation: false);
        display.Start();
        display.OnTrainBegin(context);
        clock.Advance(TimeSpan.FromSeconds(2));
        RunEpoch(display, context, 0, [1.0, 1.0], epochLoss: 1.0);
        display.Draw(finished: false);
        RunEpoch(display, context, 1, [1.0, 1.0], epochLoss: 1.0);
        display.Note("Stopping after the current batch (Ctrl+C again to quit at once)…");
        RunEpoch(display, context, 2, [1.0, 1.0], epochLoss: 1.0);
        display.Draw(finished: false);

        Screen screen = Screen.Replay(output.ToString(), 80);
        Assert.Equal(["Epoch 0 Loss: 1", "Epoch 1 Loss: 1", "Stopping after the current batch (Ctrl+C again to quit at once)…", "Epoch 2 Loss: 1"],
            screen.Rows.Take(4));
        Assert.StartsWith("epoch 3/10", screen.Rows[4]);
        Assert.Equal(5, screen.Rows.Count);

        // Once the display is done, a note is written at once.
        display.Draw(finished: true);
        var late = new StringWriter();
        var finished = new TerminalTrainingDisplay<double>(console, epochLines: true, clock, notes: late);
        finished.Run(() => { });
        finished.Note("Saved the best model so far");
        Assert.Equal("Saved the best model so far" + Environment.NewLine, late.ToString());
    }

    [Fact]
    public void The_failure_of_a_run_is_rethrown_after_its_lines_and_without_a_bar_left()
    {
        var (display, clock, output) = Display(80);
        TrainingContext<double> context = Context(epochs: 5, batches: 1, batchSize: 1, validation: false);
        var thrown = Assert.Throws<InvalidOperationException>(() => display.Run(() =>
        {
            display.OnTrainBegin(context);
            clock.Advance(TimeSpan.FromSeconds(2));
            RunEpoch(display, context, 0, [1.0], epochLoss: 1.0);
            WaitFor(() => output.ToString().Contains("epoch 1/5", StringComparison.Ordinal));
            throw new InvalidOperationException("diverged");
        }));
        Assert.Equal("diverged", thrown.Message);
        Screen screen = Screen.Replay(output.ToString(), 80);
        Assert.Equal(new[] { "Epoch 0 Loss: 1", "" }, screen.Rows);
    }

    [Fact]
    public async Task The_line_queue_makes_the_producer_wait_when_full_and_keeps_the_order()
    {
        var queue = new LineQueue<string>(capacity: 4);
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 40; i++) queue.Add($"line {i}");
            queue.Complete();
        });
        var received = new List<string>();
        bool completed;
        do
        {
            queue.Wait(TimeSpan.FromMilliseconds(5));
            completed = queue.IsCompleted;
            List<string> taken = queue.TakeAll();
            Assert.True(taken.Count <= 4, $"{taken.Count} lines queued");
            received.AddRange(taken);
        }
        while (!completed);
        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"line {i}"), received);
    }

    [Fact]
    public async Task A_closed_line_queue_no_longer_holds_the_producer()
    {
        var queue = new LineQueue<string>(capacity: 1);
        queue.Add("first");
        var blocked = Task.Run(() => queue.Add("second"));
        await Task.WhenAny(blocked, Task.Delay(50));
        Assert.False(blocked.IsCompleted, "the producer did not wait for room");
        queue.Close();
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        queue.Add("third");
        Assert.Empty(queue.TakeAll());
    }

    [Fact]
    public void The_pace_is_that_of_the_last_seconds_not_of_the_slow_start()
    {
        var clock = new ManualClock();
        var pace = new Pace(clock);
        pace.Start(clock.GetTimestamp());
        long steps = 0;
        // Ten slow seconds (10 steps/s, the code not yet optimized), then ten fast ones (1,000 steps/s), an epoch a second.
        for (int second = 0; second < 20; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            steps += second < 10 ? 10 : 1000;
            pace.EpochEnded(clock.GetTimestamp(), steps, steps * 32);
        }
        (double? stepsPerSecond, double? samplesPerSecond) = pace.At(clock.GetTimestamp(), steps, steps * 32);
        Assert.Equal(1000, stepsPerSecond!.Value, precision: 6);
        Assert.Equal(32000, samplesPerSecond!.Value, precision: 6);
    }

    [Theory]
    [InlineData(0.25, "0.2500")]
    [InlineData(1.23456, "1.2346")]
    [InlineData(123.456, "123.46")]
    [InlineData(0.008021, "8.02e-03")]
    [InlineData(21689.79, "21689.79")]
    [InlineData(216897.9, "2.17e+05")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_keep_three_significant_digits_in_eight_columns(double value, string expected) =>
        Assert.Equal(expected, ProgressLine.Number(value));

    [Theory]
    [InlineData(null, "-:--")]
    [InlineData(59.4, "0:59")]
    [InlineData(298.0, "4:58")]
    [InlineData(3725.0, "1:02:05")]
    [InlineData(400000.0, ">99 h")]
    public void Time_left_reads_as_minutes_and_seconds(double? seconds, string expected) =>
        Assert.Equal(expected, ProgressLine.Duration(seconds is { } s ? TimeSpan.FromSeconds(s) : null));

    // --- The script's pieces ---

    private static TrainingContext<double> Context(int epochs, int batches, int batchSize, bool validation)
    {
        var model = new Sequential<double>(2, new Dense<double>(2, 3));
        var context = new TrainingContext<double>(model, new Sgd<double>(0.1), new TrainerOptions(epochs, batchSize), batches);
        if (validation)
        {
            context.Validation = new Dataset<double>(new Matrix<double>(4, 2), new Matrix<double>(4, 1));
            context.Metric = EpochMetric<double>.Accuracy();
        }
        return context;
    }

    private static void StartEpoch(TerminalTrainingDisplay<double> display, TrainingContext<double> context, int epoch, double[] batchLosses)
    {
        context.Epoch = epoch;
        display.OnEpochBegin(context);
        for (int batch = 0; batch < batchLosses.Length; batch++) display.OnBatchEnd(context, batch, batchLosses[batch]);
    }

    private static void RunEpoch(TerminalTrainingDisplay<double> display, TrainingContext<double> context, int epoch, double[] batchLosses,
        double epochLoss, double? validationLoss = null, double? accuracy = null)
    {
        StartEpoch(display, context, epoch, batchLosses);
        var record = new EpochRecord(epoch, epochLoss, 0.01, validationLoss, Metric: accuracy, ValidationMetric: accuracy);
        context.History.Add(record);
        display.OnEpochEnd(context, record);
    }

    // Draws one refresh and returns the bar's line as it then shows.
    private static string BarAfterDraw(TerminalTrainingDisplay<double> display, LockedWriter output, int width)
    {
        display.Draw(finished: false);
        return Screen.Replay(output.ToString(), width).Rows[^1];
    }

    // For the drawing thread of Run, which refreshes every 100 ms: a bound far beyond that, so a slow machine does not fail.
    private static void WaitFor(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), "the display did not draw");

    // A display on a terminal of this width, with a clock that moves only when told.
    private static (TerminalTrainingDisplay<double> Display, ManualClock Clock, LockedWriter Output) Display(int width)
    {
        var clock = new ManualClock();
        var (console, output) = Terminal(width);
        return (new TerminalTrainingDisplay<double>(console, epochLines: true, clock), clock, output);
    }

    private static (IAnsiConsole Console, LockedWriter Output) Terminal(int width)
    {
        var output = new LockedWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = true;
        return (console, output);
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan time) => Interlocked.Add(ref _ticks, time.Ticks);
    }

    /// <summary>A string writer that the drawing thread writes to while the training thread reads it.</summary>
    private sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text) _text.Append(value);
        }

        public override void Write(string? value)
        {
            lock (_text) _text.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_text) _text.Append(buffer, index, count);
        }

        public override string ToString()
        {
            lock (_text) return _text.ToString();
        }
    }

    /// <summary>
    /// What a terminal <c>width</c> columns wide shows for some output: the rows written (scrollback included), and whether a
    /// line ran past the last column and wrapped. Knows what the display writes: text, carriage return, line feed (with the
    /// terminal's carriage return), erase in line, colours; any other escape code fails the test.
    /// </summary>
    private sealed class Screen
    {
        private readonly List<char[]> _rows = [];
        private readonly int _width;
        private int _row, _column;
        private bool _pendingWrap;

        private Screen(int width)
        {
            _width = width;
            _rows.Add(Blank());
        }

        public bool Wrapped { get; private set; }

        public List<string> Rows => _rows.Select(row => new string(row).TrimEnd()).ToList();

        public override string ToString() => string.Join('\n', Rows);

        public static Screen Replay(string output, int width)
        {
            var screen = new Screen(width);
            for (int i = 0; i < output.Length; i++)
            {
                char c = output[i];
                if (c == '\u001b')
                {
                    Assert.Equal('[', output[++i]);
                    int start = i + 1;
                    while (output[++i] is < '@' or > '~')
                    {
                    }
                    screen.Control(output[start..i], output[i]);
                }
                else if (c == '\r')
                {
                    (screen._column, screen._pendingWrap) = (0, false);
                }
                else if (c == '\n')
                {
                    screen.NewLine();
                }
                else
                {
                    screen.Put(c);
                }
            }
            return screen;
        }

        private char[] Blank() => Enumerable.Repeat(' ', _width).ToArray();

        private void NewLine()
        {
            (_column, _pendingWrap) = (0, false);
            _row++;
            if (_row == _rows.Count) _rows.Add(Blank());
        }

        private void Put(char c)
        {
            if (_pendingWrap)
            {
                Wrapped = true;
                NewLine();
            }
            _rows[_row][_column] = c;
            if (_column == _width - 1) _pendingWrap = true;
            else _column++;
        }

        private void Control(string parameters, char code)
        {
            switch (code)
            {
                case 'm':
                    break;
                case 'K' when parameters is "" or "0":
                    Array.Fill(_rows[_row], ' ', _column, _width - _column);
                    break;
                case 'K' when parameters == "2":
                    Array.Fill(_rows[_row], ' ');
                    break;
                default:
                    Assert.Fail($"unexpected escape code {parameters}{code}");
                    break;
            }
        }
    }
}
