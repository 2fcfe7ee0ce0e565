using Backprop.Serialization;
using Backprop.IO;

namespace Backprop.Tests.Serialization;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-atomic-").FullName;

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Replaces_the_file_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        AtomicFile.Write(path, s => s.Write("old"u8));
        AtomicFile.Write(path, s => s.Write("new content"u8));
        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_failing_write_keeps_the_previous_file_and_reports_it()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllText(path, "good model");
        var error = Assert.Throws<BackpropException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half a mod"u8);
            throw new IOException("No space left on device");
        }));
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains("previous file", error.Message);
        Assert.Equal("good model", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_stream_that_throws_midway_keeps_the_previous_file()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllText(path, "good model");
        var error = Assert.Throws<BackpropException>(() => AtomicFile.Write(path, stream =>
        {
            using var failing = new FailingStream(stream, failAfter: 5);
            failing.Write(new byte[100]);
        }));
        Assert.Contains("disk full", error.Message);
        Assert.Equal("good model", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_missing_folder_is_reported_clearly()
    {
        string path = Path.Combine(_folder, "no-such-folder", "model.safetensors");
        var error = Assert.Throws<BackpropException>(() => AtomicFile.Write(path, s => s.WriteByte(1)));
        Assert.Contains("does not exist", error.Message);
    }

    [FactUnlessRoot]
    public void A_read_only_folder_keeps_the_previous_file()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllText(path, "good model");
        if (OperatingSystem.IsWindows()) return; // FactUnlessRoot skips it there; this tells the analyzer.
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var error = Assert.Throws<BackpropException>(() => AtomicFile.Write(path, s => s.WriteByte(1)));
        Assert.Contains(path, error.Message);
        Assert.Equal("good model", File.ReadAllText(path));
    }

    /// <summary>Passes writes through until <c>failAfter</c> bytes, then fails like a full disk.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        private int _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            int allowed = Math.Min(count, failAfter - _written);
            inner.Write(buffer, offset, allowed);
            _written += allowed;
            if (allowed < count) throw new IOException("disk full");
        }
    }
}
