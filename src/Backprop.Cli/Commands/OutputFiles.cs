using Backprop.Data;

namespace Backprop.Cli.Commands;

/// <summary>
/// Refuses, before a command writes anything (and before it reads its data), an output file that is one of its inputs (or one
/// of their shards) or another of its outputs: every file is written atomically and whole, so such a run would end with exit
/// code 0 and the model or the data replaced by a plot, a report or predictions.
/// </summary>
/// <remarks>
/// Two names are the same file when their full paths are, after every symbolic link in them is followed (a save follows a
/// link and replaces the file it points to). Hard links need no check: a save renames a new file over the name it was given,
/// so another name of the old file keeps the old content.
/// </remarks>
internal static class OutputFiles
{
    // The file systems of Windows and macOS ignore case by default; Linux's do not.
    private static readonly StringComparer Names = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    // Links followed before giving up, as Linux does (ELOOP).
    private const int MaxLinks = 40;

    /// <summary>Throws a usage error for the first output that is an input's file or an earlier output's.</summary>
    /// <param name="inputs">
    /// The files the command reads: the flag, its value (<see langword="null"/> when not given; a data flag may name a folder or
    /// a glob of shards) and what writing over it would destroy ("the model").
    /// </param>
    /// <param name="outputs">The files the command writes: the flag and the file (<see langword="null"/> when not given), in the order the flags are listed.</param>
    /// <exception cref="UsageException">An output is an input's file, or another flag's output.</exception>
    public static void Check(IEnumerable<(string Flag, string? Path, string Holds)> inputs, IEnumerable<(string Flag, string? Path)> outputs)
    {
        // Loops rather than LINQ over these tuples: every run checks its files, and LINQ over value types is compiled at first use
        // (docs/performance.md, "Start-up").
        var read = new List<(string Flag, string Holds, bool Shards, HashSet<string> Files)>();
        foreach ((string flag, string? path, string holds) in inputs)
        {
            if (path is null) continue;
            var files = new HashSet<string>(Names);
            foreach (string file in FilesOf(path)) files.Add(Resolved(file));
            read.Add((flag, holds, IsShards(path), files));
        }
        var written = new List<(string Flag, string File)>();
        foreach ((string flag, string? path) in outputs)
        {
            if (path is null) continue;
            string file = Resolved(path);
            foreach (var input in read)
            {
                if (!input.Files.Contains(file)) continue;
                throw new UsageException(input.Shards
                    ? $"{flag}: expected a file outside the {input.Flag} shards (writing it would destroy {input.Holds}). Received: '{path}'."
                    : $"{flag}: expected a file other than the {input.Flag} file (writing it would destroy {input.Holds}). Received: '{path}'.");
            }
            // One flag may write several files (explain --dependence, one per column): only another flag's are a clash.
            foreach (var earlier in written)
            {
                if (earlier.Flag == flag || !Names.Equals(earlier.File, file)) continue;
                throw new UsageException($"{flag}: expected a file other than the {earlier.Flag} file (both would be written to it). Received: '{path}'.");
            }
            written.Add((flag, file));
        }
    }

    /// <summary>Whether <paramref name="path"/> and <paramref name="other"/> name the same file (symbolic links followed).</summary>
    public static bool Same(string path, string other) => Names.Equals(Resolved(path), Resolved(other));

    private static bool IsShards(string path) => path.AsSpan().IndexOfAny('*', '?') >= 0 || Directory.Exists(path);

    // The shards that exist now are what an output could destroy; a folder or glob without any is the read's to report.
    private static IReadOnlyList<string> FilesOf(string path)
    {
        if (!IsShards(path)) return [path];
        try
        {
            return Table.Files(path);
        }
        catch (BackpropException)
        {
            return [];
        }
    }

    // The full path with every symbolic link in it followed: its folders' first, then its own.
    private static string Resolved(string path) => Resolved(path, links: 0);

    private static string Resolved(string path, int links)
    {
        string full = Path.GetFullPath(path);
        // A loop of links is the path as given, which a save would fail on too.
        if (links > MaxLinks) return full;
        try
        {
            string? folder = Path.GetDirectoryName(full);
            if (folder is not null) full = Path.Combine(Resolved(folder, links), Path.GetFileName(full));
            FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
            return info.LinkTarget is null ? full : Resolved(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName, links + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }
}
