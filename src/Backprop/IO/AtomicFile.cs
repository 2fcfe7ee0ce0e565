namespace Backprop.IO;

/// <summary>Writes a file so that readers see either the previous content or the complete new one, never a part.</summary>
/// <remarks>
/// The content goes to a temporary file in the target's folder (same file system, so the final rename is atomic), is flushed
/// to disk, and only then renamed over the target. If anything fails before the rename, the temporary file is deleted and the
/// target is untouched.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with the bytes that <paramref name="write"/> puts into the stream it is given.</summary>
    /// <exception cref="BackpropException">The folder is missing or not writable, or an I/O error happened; the previous file is intact.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = CheckTarget(path);
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
    /// <exception cref="BackpropException">The folder is missing, or the path is a folder or names no file.</exception>
    public static string CheckTarget(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
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
