using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Backprop.Cli.Rendering;

/// <summary>
/// Standard output as a pipe or a file: writes as <see cref="Console.Out"/> does (each write flushed, UTF-8 without a byte
/// order mark), and knows when the pipe's reader has gone.
/// </summary>
/// <remarks>
/// .NET ignores SIGPIPE, and its console ignores a write to a pipe whose reader has closed (EPIPE): <c>backprop predict … | head</c>
/// would go on predicting a file of gigabytes into nothing. Here the first failed write sets <see cref="ReaderGone"/> and the
/// rest are dropped, as the console drops them, so a command that produces data (predict) stops at its next chunk, and a command
/// that produces a model (train piped into <c>head</c>) still finishes and saves it.
/// </remarks>
public sealed class StandardOutput : TextWriter
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    // A write failed: the reader gone, or the error said once (what the failed write left in the buffer would fail again).
    private bool _ended;

    /// <summary>Writes to <paramref name="stream"/> (the process's standard output, or a pipe in a test), leaving it open.</summary>
    public StandardOutput(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true)
        {
            AutoFlush = true,
        };
    }

    /// <summary>This process's standard output: a <see cref="StandardOutput"/> where it is a pipe (on Unix), else <see cref="Console.Out"/>.</summary>
    /// <remarks>
    /// Only a pipe has a reader that can leave. A terminal stays the console's (its width, its escape sequences), and so does a
    /// file: a file stream writes at the offset it keeps itself, so with <c>&gt; log 2&gt;&amp;1</c> its lines would overwrite
    /// those stderr wrote through the shared offset. On Windows the console's writer stays (its standard output is not
    /// descriptor 1; a closed pipe goes unnoticed there, as before).
    /// </remarks>
    public static TextWriter ForProcess() =>
        !OperatingSystem.IsWindows() && Console.IsOutputRedirected && ForPipe(new SafeFileHandle(1, ownsHandle: false)) is { } pipe
            ? pipe
            : Console.Out;

    /// <summary>A <see cref="StandardOutput"/> writing to <paramref name="handle"/> if it is a pipe (or a socket); <see langword="null"/> for a file or a device.</summary>
    public static StandardOutput? ForPipe(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        if (stream.CanSeek)
        {
            // A file (or /dev/null): written through the console's shared offset. The handle is not the stream's to close.
            return null;
        }
        return new StandardOutput(stream);
    }

    /// <summary>A write failed because the pipe's reader has closed it; later writes are dropped.</summary>
    public bool ReaderGone { get; private set; }

    /// <inheritdoc/>
    public override Encoding Encoding => _writer.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        lock (_lock)
        {
            if (!_ended) Guard(static (w, v) => w.Write(v), value);
        }
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            if (!_ended) Guard(static (w, b) => w.Write(b.buffer, b.index, b.count), (buffer, index, count));
        }
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            if (_ended) return;
            try
            {
                _writer.Write(buffer);
            }
            catch (IOException e)
            {
                Failed(e);
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        lock (_lock)
        {
            if (!_ended) Guard(static (w, v) => w.Write(v), value);
        }
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            // One write for the line and its end, as the console makes it: lines of two threads do not interleave.
            if (!_ended) Guard(static (w, v) => w.Write(v), value + NewLine);
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        lock (_lock)
        {
            if (!_ended) Guard(static (w, _) => w.Flush(), 0);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                try
                {
                    // Every write is flushed: what is left is the text of a write that failed, already said, which fails again.
                    _writer.Dispose();
                }
                catch (IOException) when (_ended)
                {
                }
            }
        }
        base.Dispose(disposing);
    }

    private void Guard<TState>(Action<StreamWriter, TState> write, TState state)
    {
        try
        {
            write(_writer, state);
        }
        catch (IOException e)
        {
            Failed(e);
        }
    }

    // The pipe's reader gone: the output ends here. Anything else (a full disk) ends the command, in one line.
    private void Failed(IOException e)
    {
        _ended = true;
        if (!IsReaderGone(e))
        {
            throw new BackpropException($"Expected to write to standard output. Received: {e.Message.TrimEnd('.')}.", e);
        }
        ReaderGone = true;
    }

    // EPIPE, the errno .NET gives as the exception's HResult on Unix (Windows: ERROR_BROKEN_PIPE, ERROR_NO_DATA).
    private static bool IsReaderGone(IOException e) => e.HResult is 32 or unchecked((int)0x8007006D) or unchecked((int)0x800700E8);
}
