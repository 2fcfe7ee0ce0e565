namespace Backprop.Cli.Rendering;

/// <summary>
/// Lines on their way from the training thread, which adds them, to the thread that writes them to the terminal; at most
/// <c>capacity</c> wait at once.
/// </summary>
/// <remarks>
/// The bound is what keeps the screen close to the training: a run of very short epochs makes lines faster than a terminal
/// shows them, and an unbounded queue then grew by thousands, so that the screen fell ever further behind and Ctrl+C waited
/// seconds for the backlog to be written. Here the training thread waits for room instead, as it would writing the lines
/// itself; the writer takes everything queued at once, so the wait is rare and short.
/// </remarks>
internal sealed class LineQueue<TLine>(int capacity)
{
    private readonly Queue<TLine> _lines = new();
    private readonly object _gate = new();
    private bool _completed;
    private bool _closed;

    /// <summary>Set by <see cref="Complete"/>: the producer has added its last line.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate) return _completed;
        }
    }

    /// <summary>Adds a line, first waiting while the queue is full.</summary>
    /// <returns>
    /// False when the line was not added: the writer has stopped (<see cref="Close"/>), or the producer is done
    /// (<see cref="Complete"/>) and the writer may have taken its last lines.
    /// </returns>
    public bool Add(TLine line)
    {
        lock (_gate)
        {
            while (_lines.Count >= capacity && !_closed)
            {
                Monitor.Wait(_gate);
            }
            if (_closed || _completed) return false;
            _lines.Enqueue(line);
            // Half full: the writer takes them now rather than at its next refresh, so that the producer rarely waits.
            if (_lines.Count >= HalfFull) Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>The producer is done: wakes the writer, which then finds <see cref="IsCompleted"/> set.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The writer has stopped: the producer never waits again, and its lines go nowhere.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _lines.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until the queue is half full or completed, or <paramref name="timeout"/> has passed.</summary>
    public void Wait(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_lines.Count < HalfFull && !_completed)
            {
                Monitor.Wait(_gate, timeout);
            }
        }
    }

    /// <summary>Takes every line queued, oldest first, making room for the producer.</summary>
    public List<TLine> TakeAll()
    {
        lock (_gate)
        {
            var lines = new List<TLine>(_lines);
            _lines.Clear();
            Monitor.PulseAll(_gate);
            return lines;
        }
    }

    private int HalfFull => Math.Max(1, capacity / 2);
}
