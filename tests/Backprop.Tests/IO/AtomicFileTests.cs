using Backprop.IO;
using Backprop.Tests.Serialization;

namespace Backprop.Tests.IO;

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

    [Fact]
    public void A_symbolic_link_is_followed_the_file_it_points_to_replaced_and_the_link_kept()
    {
        string target = Path.Combine(_folder, "real.csv"), link = Path.Combine(_folder, "link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        AtomicFile.Write(link, s => s.Write("new"u8));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["link.csv", "real.csv"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_named_pipe_is_written_through_to_its_reader_and_stays_a_pipe()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(_folder, "pipe");
        using (var make = System.Diagnostics.Process.Start("mkfifo", [fifo])) make.WaitForExit();
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo)); // waits for a writer, as a consumer of the pipe does
        AtomicFile.Write(fifo, s => s.Write("row,label\n1,setosa\n"u8));
        Assert.Equal("row,label\n1,setosa\n", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("fifo", FileType(fifo));
        Assert.Equal(["pipe"], Directory.GetFiles(_folder).Select(Path.GetFileName)); // no temporary file, no regular file in its place
    }

    [Fact]
    public void A_character_device_is_written_through_not_replaced()
    {
        if (OperatingSystem.IsWindows()) return;
        // /dev/null: as root, the rename the atomic write ends with would replace the machine's /dev/null by a regular file.
        string link = Path.Combine(_folder, "null");
        File.CreateSymbolicLink(link, "/dev/null");
        AtomicFile.Write(link, s => s.Write("discarded"u8));
        Assert.Equal("character special file", FileType("/dev/null"));
        Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void Temporary_files_left_by_processes_that_no_longer_run_are_removed_by_the_next_save()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        string guid = Guid.NewGuid().ToString("N");
        // A process id that cannot be running (above any pid_max), one that is (this process: maybe a save in progress), and
        // another file's temporary.
        string dead = Path.Combine(_folder, $".model.safetensors.{int.MaxValue}.{guid}.tmp");
        string alive = Path.Combine(_folder, $".model.safetensors.{Environment.ProcessId}.{guid}.tmp");
        string other = Path.Combine(_folder, $".other.safetensors.{int.MaxValue}.{guid}.tmp");
        foreach (string file in (string[])[dead, alive, other]) File.WriteAllText(file, "left by a kill -9");

        AtomicFile.Write(path, s => s.Write("model"u8));

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(other));
        Assert.Equal("model", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(230, "a")] // 230 bytes: its temporary file, .NAME.PID.GUID.tmp, would be longer than a file name may be
    [InlineData(120, "é")] // 240 bytes of UTF-8
    [InlineData(63, "😀")] // 252 bytes, surrogate pairs
    public void A_long_name_the_file_system_takes_is_saved(int repeats, string piece)
    {
        string path = Path.Combine(_folder, string.Concat(Enumerable.Repeat(piece, repeats)));
        AtomicFile.CheckTarget(path);
        AtomicFile.Write(path, s => s.Write("model"u8));
        Assert.Equal("model", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData(256, "a", 256)]
    [InlineData(128, "é", 256)]
    public void A_name_longer_than_a_file_system_takes_fails_before_anything_is_written(int repeats, string piece, int bytes)
    {
        if (OperatingSystem.IsWindows()) return;
        string name = string.Concat(Enumerable.Repeat(piece, repeats));
        string path = Path.Combine(_folder, name);
        string expected = $"Cannot save '{path}': its file name is {bytes} bytes long, and a file system takes at most 255.";
        Assert.Equal(expected, Assert.Throws<BackpropException>(() => AtomicFile.CheckTarget(path)).Message);
        Assert.Equal(expected, Assert.Throws<BackpropException>(() => AtomicFile.Write(path, s => s.Write("model"u8))).Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void A_temporary_file_of_a_long_name_left_by_a_process_that_no_longer_runs_is_removed()
    {
        string name = new('m', 240);
        string path = Path.Combine(_folder, name);
        // Killed during its save: the temporary file's name is as long as a name may be, the target's cut to fit.
        string dead = Path.Combine(_folder, $".{name[..(255 - 49)]}.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "left by a kill -9");
        Assert.Equal(255, Path.GetFileName(dead).Length);

        AtomicFile.Write(path, s => s.Write("model"u8));

        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("/sys/kernel/model.safetensors")] // sysfs and procfs take no new files, not even from root (whom permission bits do not stop)
    [InlineData("/proc/model.safetensors")]
    public void A_folder_that_cannot_be_written_fails_the_check_before_the_work(string path)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(Path.GetDirectoryName(path))) return;
        var error = Assert.Throws<BackpropException>(() => AtomicFile.CheckTarget(path));
        Assert.StartsWith($"Cannot save '{path}': ", error.Message);
        Assert.DoesNotContain(".tmp", error.Message); // the user knows the name they gave, not the temporary one
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_empty_path_is_a_clear_error() =>
        Assert.Equal("Cannot save '': expected a file name.", Assert.Throws<BackpropException>(() => AtomicFile.Write("", _ => { })).Message);

    // What stat(1) says a path is: "regular file", "fifo", "character special file", …
    private static string FileType(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true };
        using var stat = System.Diagnostics.Process.Start(start)!;
        string type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
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
