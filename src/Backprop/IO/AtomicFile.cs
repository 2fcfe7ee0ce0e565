using System.Diagnostics;
using System.Globalization;

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
        string fullPath = CheckTarget(path);
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
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
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
            string reason = OneLine(ex.Message).Replace($" : '{temporary}'", "", StringComparison.Ordinal).TrimEnd('.');
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
    /// Checks that <paramref name="path"/> could be written: its folder exists and it is not itself a folder. Called by
    /// <see cref="Write"/>, and by callers that do long work before writing (training), so that a mistyped path fails first.
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="BackpropException">The path is empty, the folder is missing, or the path is a folder or names no file.</exception>
    public static string CheckTarget(string path)
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
        return fullPath;
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
        string folder = Path.GetDirectoryName(fullPath)!, name = Path.GetFileName(fullPath);
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
