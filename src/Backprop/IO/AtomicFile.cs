using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Backprop.IO;

/// <summary>Writes a file so that readers see either the previous content or the complete new one, never a part.</summary>
/// <remarks>
/// <para>
/// The content goes to a temporary file in the target's folder (same file system, so the final rename is atomic), is flushed
/// to disk, and only then renamed over the target. If anything fails before the rename, the temporary file is deleted and the
/// target is untouched. Temporary files are named <c>.NAME.PID.GUID.tmp</c>; one left behind by a process that was killed
/// (<c>kill -9</c> during a save) is removed by the next save to the same path.
/// </para>
/// <para>
/// Only a regular file is replaced. A path that is a named pipe, a device or a terminal (<c>/dev/stdout</c>, a FIFO a reader
/// waits on) is written through, as a shell's <c>&gt;</c> would: renaming a file over it would replace the pipe or the device
/// itself. A symbolic link is followed: the file it points to is replaced and the link stays a link (for a link to a pipe
/// or device, that is written through).
/// </para>
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with the bytes that <paramref name="write"/> puts into the stream it is given.</summary>
    /// <exception cref="BackpropException">The folder is missing or not writable, or an I/O error happened; the previous file is intact.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Target(path);
        try
        {
            fullPath = Followed(fullPath);
            if (WroteThrough(fullPath, write))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackpropException($"Cannot save '{path}': {OneLine(ex.Message).TrimEnd('.')}.", ex);
        }
        RemoveStaleTemporaries(fullPath);
        string folder = Path.GetDirectoryName(fullPath)!;
        string temporary = Temporary(fullPath);
        bool renamed = false;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // Flush to the device, not just to the OS cache, before the rename makes the new content visible.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
            renamed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // .NET appends " : 'path'" of the temporary file to some messages; the user knows only the target.
            string reason = OneLine(ex.Message).Replace($" : '{temporary}'", "", StringComparison.Ordinal)
                .Replace($"'{temporary}'", $"'{path}'", StringComparison.Ordinal).TrimEnd('.');
            throw new BackpropException($"Cannot save '{path}': {reason}. The previous file, if any, is unchanged.", ex);
        }
        finally
        {
            if (!renamed)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> can be written: its folder exists, it is not itself a folder, its name fits the file
    /// system, and a file can be created beside it (a temporary one, removed at once). For callers that do long work before
    /// writing (training, explaining), so that a mistyped path, a read-only folder or a full name fails before the work, not
    /// after it.
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="BackpropException">The path is empty, names no file, its folder is missing or cannot be written, or it is a folder.</exception>
    public static string CheckTarget(string path)
    {
        string fullPath = Target(path);
        string written;
        try
        {
            written = Followed(fullPath);
            // A device or a terminal (/dev/stdout) is written through, not replaced: nothing is created beside it. (A named pipe
            // elsewhere is probed in its folder, as the regular file it cannot be told from without opening it would be.)
            if (File.Exists(written) && (IsKernelPath(fullPath) || IsKernelPath(written)))
            {
                return fullPath;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackpropException($"Cannot save '{path}': {OneLine(ex.Message).TrimEnd('.')}.", ex);
        }
        string probe = Temporary(written);
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string reason = OneLine(ex.Message).Replace($" : '{probe}'", "", StringComparison.Ordinal).Replace($"'{probe}'", $"'{path}'", StringComparison.Ordinal);
            throw new BackpropException($"Cannot save '{path}': {reason.TrimEnd('.')}.", ex);
        }
        return fullPath;
    }

    // The checks that need no file created: a path that names a file, in a folder that exists, with a name the file system takes.
    private static string Target(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new BackpropException("Cannot save '': expected a file name.");
        }
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new BackpropException($"Cannot save '{path}': it names no file.");
        if (!Directory.Exists(folder))
        {
            throw new BackpropException($"Cannot save '{path}': the folder '{folder}' does not exist.");
        }
        if (Directory.Exists(fullPath))
        {
            throw new BackpropException($"Cannot save '{path}': it is a folder.");
        }
        int length = NameLength(Path.GetFileName(fullPath));
        if (length > MaxNameLength)
        {
            throw new BackpropException(OperatingSystem.IsWindows()
                ? $"Cannot save '{path}': its file name is {length} characters long, and a file system takes at most {MaxNameLength}."
                : $"Cannot save '{path}': its file name is {length} bytes long, and a file system takes at most {MaxNameLength}.");
        }
        return fullPath;
    }

    // The longest file name (one component of a path) that Linux's and macOS's file systems take, in bytes of UTF-8, and
    // Windows', in UTF-16 code units.
    private const int MaxNameLength = 255;

    private static int NameLength(string name) => OperatingSystem.IsWindows() ? name.Length : Encoding.UTF8.GetByteCount(name);

    // The temporary file beside a target, .NAME.PID.GUID.tmp, with NAME shortened where the whole would be longer than a file
    // name may be: a name of 220 bytes is a file the user may ask for, and its temporary file must not fail the save.
    private static string Temporary(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{TemporaryStem(Path.GetFileName(fullPath))}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    // Room for the dots, the process id (up to 10 digits), the 32 digits of the GUID and ".tmp".
    private const int TemporarySuffixLength = 1 + 1 + 10 + 1 + 32 + 4;

    private static string TemporaryStem(string name)
    {
        int room = MaxNameLength - TemporarySuffixLength;
        if (NameLength(name) <= room) return name;
        int end = 0;
        for (int length = 0; end < name.Length;)
        {
            // Whole characters only (a surrogate pair is one).
            int width = char.IsSurrogatePair(name, end) ? 2 : 1;
            int more = NameLength(name.Substring(end, width));
            if (length + more > room) break;
            length += more;
            end += width;
        }
        return name[..end];
    }

    // A symbolic link is replaced by the file it points to (through every link in the chain), unless that is not a path of
    // its own (/proc/self/fd/1 → "pipe:[…]"): then the link itself is written through.
    private static string Followed(string fullPath)
    {
        if (new FileInfo(fullPath).LinkTarget is null)
        {
            return fullPath;
        }
        FileSystemInfo? target = File.ResolveLinkTarget(fullPath, returnFinalTarget: true);
        if (target is null)
        {
            return fullPath;
        }
        bool usable = IsKernelPath(target.FullName) ? File.Exists(target.FullName) : Directory.Exists(Path.GetDirectoryName(target.FullName));
        return usable ? target.FullName : fullPath;
    }

    // Writes into an existing file that is not a regular one (a pipe, a device, a terminal), which is what its reader expects;
    // false when the path is a regular file or does not exist (the atomic replace is then the way). Opening a pipe for writing
    // waits for its reader, as a shell's redirection does.
    private static bool WroteThrough(string fullPath, Action<Stream> write)
    {
        if (!File.Exists(fullPath))
        {
            return false;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !IsKernelPath(fullPath))
        {
            // A read-only regular file (replaced by a rename, which needs only the folder to be writable), or one on a read-only
            // file system (the atomic replace then reports that, and that the previous file is unchanged).
            return false;
        }
        using (stream)
        {
            // A regular file seeks; a pipe, a terminal or a character device does not.
            if (stream.CanSeek && !IsKernelPath(fullPath))
            {
                return false;
            }
            write(stream);
            stream.Flush();
            return true;
        }
    }

    private static bool IsKernelPath(string fullPath) =>
        fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal);

    // Temporary files of this target left by processes that no longer run (killed during a save). A file whose process id is
    // in use again is kept: it may be another save in progress, and a leftover costs only disk space.
    private static void RemoveStaleTemporaries(string fullPath)
    {
        string folder = Path.GetDirectoryName(fullPath)!, name = TemporaryStem(Path.GetFileName(fullPath));
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, $".{name}.*.tmp").ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string candidate in candidates)
        {
            string[] parts = Path.GetFileName(candidate)[(name.Length + 2)..^".tmp".Length].Split('.');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && parts[1].Length == 32
                && pid != Environment.ProcessId && !IsRunning(pid))
            {
                TryDelete(candidate);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write already failed and that is the error worth reporting.
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
