using System.Globalization;
using System.IO.Pipes;
using System.Text;
using Backprop.Cli.Rendering;
using Backprop.Tests.Cli;
using Microsoft.Win32.SafeHandles;

namespace Backprop.Tests.Cli.Rendering;

/// <summary>
/// Standard output as a pipe: its text as the console writes it, a reader that leaves (<c>predict … | head</c>) noticed, and a
/// full disk said in one line.
/// </summary>
public sealed class StandardOutputTests : TempFileTest
{
    // A pipe whose reader has already closed its end, as `head` does after its lines.
    private static AnonymousPipeServerStream ClosedPipe()
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle).Dispose();
        pipe.DisposeLocalCopyOfClientHandle();
        return pipe;
    }

    // The pipe's write end as the process's standard output is opened: a file stream on its handle.
    private static FileStream WriteEnd(AnonymousPipeServerStream pipe) =>
        new(new SafeFileHandle(pipe.SafePipeHandle.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, bufferSize: 0);

    [Fact]
    public void Text_reaches_the_reader_as_written_in_UTF8_without_a_byte_order_mark()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using (FileStream end = WriteEnd(pipe))
        using (var output = new StandardOutput(end))
        {
            output.WriteLine("row,label");
            output.Write("1,");
            output.Write('é');
            output.Write("\n2,ü\n".ToCharArray(), 0, 5);
            Assert.False(output.ReaderGone);
        }
        pipe.Dispose();
        using var received = new MemoryStream();
        reader.CopyTo(received);
        Assert.Equal("row,label\n1,é\n2,ü\n", Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal((byte)'r', received.ToArray()[0]);
    }

    [Fact]
    public void A_write_after_the_reader_left_is_noticed_and_every_later_write_dropped()
    {
        using AnonymousPipeServerStream pipe = ClosedPipe();
        using FileStream end = WriteEnd(pipe);
        using var output = new StandardOutput(end);
        output.WriteLine("row,label");
        Assert.True(output.ReaderGone);
        output.Write("1,yes\n");
        output.Write(new string('x', 100_000).AsSpan());
        output.Flush();
        Assert.True(output.ReaderGone);
    }

    [Fact]
    public void A_full_disk_is_one_error_said_once()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/full, a device every write to fails with "no space left", is Linux's.
        }
        using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        using var output = new StandardOutput(device);
        BackpropException e = Assert.Throws<BackpropException>(() => output.WriteLine("row,label"));
        Assert.StartsWith("Expected to write to standard output. Received: No space left on device", e.Message, StringComparison.Ordinal);
        Assert.False(output.ReaderGone);
        // The text of the failed write is not tried again, by a later write or at the end.
        output.WriteLine("1,yes");
        output.Flush();
    }

    [Fact]
    public void Only_a_pipe_gets_the_writer_a_file_keeps_the_console_s()
    {
        using AnonymousPipeServerStream pipe = ClosedPipe();
        using StandardOutput? toPipe = StandardOutput.ForPipe(new SafeFileHandle(pipe.SafePipeHandle.DangerousGetHandle(), ownsHandle: false));
        Assert.NotNull(toPipe);
        using FileStream file = File.Create(Path.Combine(Files.Directory, "out.txt"));
        Assert.Null(StandardOutput.ForPipe(new SafeFileHandle(file.SafeFileHandle.DangerousGetHandle(), ownsHandle: false)));
        file.WriteByte((byte)'x'); // the handle is still open: the probe did not close it
    }

    [Fact]
    public async Task Output_and_errors_redirected_to_one_file_keep_every_line()
    {
        // `> log 2>&1`: a stream of its own on descriptor 1 would write at its own offset, over the lines stderr wrote.
        if (OperatingSystem.IsWindows())
        {
            return; // a POSIX shell's redirection
        }
        var rows = new StringBuilder("x,y\n");
        for (int r = 0; r < 300; r++) rows.Append(r % 17).Append(',').Append(r % 17 > 8 ? "b" : "a").Append('\n');
        string data = Files.Write("d.csv", rows.ToString()), log = Path.Combine(Files.Directory, "log.txt");
        string cli = Path.Combine(AppContext.BaseDirectory, "backprop.dll");
        var start = new System.Diagnostics.ProcessStartInfo("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("dotnet \"$0\" train --data \"$1\" --epochs 2 --members 1 > \"$2\" 2>&1");
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add(data);
        start.ArgumentList.Add(log);
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        string[] lines = File.ReadAllLines(log);
        Assert.StartsWith("note: read 300 rows × 2 columns of ", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)));
        Assert.StartsWith("Training Accuracy: ", lines[^1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches("^(note: |Epoch |Early stopping|Training Accuracy)", l));
    }

    [Fact]
    public void A_write_that_fails_otherwise_is_one_error_line_not_an_internal_error()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/full
        }
        using var device = new StreamWriter(new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0)) { AutoFlush = true };
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(["datasets"], device, error);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: input/output failed: No space left on device", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Predict_into_a_pipe_its_reader_left_stops_after_the_chunk_it_was_writing()
    {
        // 40,000 rows, three chunks of 16,384; an infinite value in the third, which a run reading on would stop at.
        var rows = new StringBuilder("x,y\n");
        for (int r = 0; r < 40_000; r++)
        {
            string x = r == 35_000 ? "inf" : ((r % 97) / 10.0).ToString(CultureInfo.InvariantCulture);
            rows.Append(x).Append(',').Append(r % 3 == 0 ? "yes" : "no").Append('\n');
        }
        string data = Files.Write("new.csv", rows.ToString());
        string model = Path.Combine(Files.Directory, "m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Files.Write("train.csv", string.Join('\n', rows.ToString().Split('\n')[..600])),
            "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        Assert.Contains($"{data} line 35002", CliRunner.Run("predict", "--model", model, "--data", data).Error);

        using AnonymousPipeServerStream pipe = ClosedPipe();
        using FileStream end = WriteEnd(pipe);
        using var output = new StandardOutput(end);
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(["predict", "--model", model, "--data", data], output, error);
        Assert.Equal(Backprop.Cli.Cli.OutputClosed, exit);
        Assert.True(output.ReaderGone);
        Assert.Equal("", error.ToString());
    }
}
