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
