namespace Backprop.Cli.Rendering;

/// <summary>
/// How fast a run goes lately: steps and samples per second over about the last <see cref="Window"/>, for the time left and
/// samples/s of the progress line.
/// </summary>
/// <remarks>
/// Not the average of the whole run: its first epochs are much slower, before the runtime has optimized the code, and with
/// them the time left of a run of short epochs read 8 s when 1 s was left. The pace is measured from marks taken at the
/// ends of epochs (at most one every <see cref="Spacing"/>, so thousands of epochs a second keep few), to the step reported
/// last, so a long epoch counts its batches so far. Not thread-safe: the display calls it under its lock.
/// </remarks>
internal sealed class Pace(TimeProvider time)
{
    /// <summary>About how far back the pace is measured.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>The least time between two marks.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    private readonly List<Mark> _marks = [];

    private readonly record struct Mark(long Timestamp, long Steps, long Samples);

    /// <summary>The run begins at <paramref name="timestamp"/> (of the display's <see cref="TimeProvider"/>).</summary>
    public void Start(long timestamp)
    {
        _marks.Clear();
        _marks.Add(new Mark(timestamp, 0, 0));
    }

    /// <summary>An epoch ended at <paramref name="timestamp"/> with so many steps and samples done since the start.</summary>
    public void EpochEnded(long timestamp, long steps, long samples)
    {
        if (_marks.Count == 0 || time.GetElapsedTime(_marks[^1].Timestamp, timestamp) >= Spacing)
        {
            _marks.Add(new Mark(timestamp, steps, samples));
        }
        // The oldest mark kept is the newest one at least a window old: the pace spans the whole window once there is one.
        while (_marks.Count > 2 && time.GetElapsedTime(_marks[1].Timestamp, timestamp) >= Window)
        {
            _marks.RemoveAt(0);
        }
    }

    /// <summary>Steps and samples per second at <paramref name="timestamp"/>, when so many are done; null before any.</summary>
    public (double? StepsPerSecond, double? SamplesPerSecond) At(long timestamp, long steps, long samples)
    {
        if (_marks.Count == 0) return (null, null);
        Mark oldest = _marks[0];
        double seconds = time.GetElapsedTime(oldest.Timestamp, timestamp).TotalSeconds;
        if (seconds <= 0 || steps <= oldest.Steps) return (null, null);
        return ((steps - oldest.Steps) / seconds, (samples - oldest.Samples) / seconds);
    }
}
