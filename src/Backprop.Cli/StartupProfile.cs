using System.Runtime;

namespace Backprop.Cli;

/// <summary>
/// The runtime's multicore JIT for the commands that train or run a model: each run records which methods it compiled, and
/// the next run of the same command compiles them again on a background thread while its main thread starts, reads the data
/// and builds the network (<see cref="ProfileOptimization"/>).
/// </summary>
/// <remarks>
/// The Release build's ReadyToRun image does not hold everything a run compiles: the framework's generic code over value types
/// (LINQ, collections) and the kernels whose code depends on the machine's vector width are compiled at first use
/// (docs/performance.md, "Start-up"), and on a small file that is much of a run. With the profile the second core compiles
/// ahead of the first, and the main thread finds most methods ready: 7 small sets of the accuracy suite trained in 1.18–1.37 s
/// with it and 1.43–1.70 s without (3 alternating rounds, with the composite image; before it, when the generic training
/// code was JIT-compiled too, 2.2–2.7 s against 3.2–3.5 s for 8 sets). The profile is a cache: written under the user's cache folder (<c>$XDG_CACHE_HOME/backprop/jit</c>,
/// <c>~/.cache/backprop/jit</c>; <c>~/Library/Caches</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows), one small file a
/// command, rewritten by every run. A folder that cannot be written, or a stale or damaged profile, only means the JIT
/// compiles on the main thread as it would without one: the runtime checks the profile against the assemblies loaded and
/// never fails a run for it. <c>BACKPROP_JIT_PROFILE=0</c> turns it off; a rank of an MPI job does not use it (many processes
/// at once over one shared home folder), nor does a process limited to one core, where the background thread only takes turns
/// with the main one (8 small runs 3.7–4.0 s with it, 3.5 s without, measured).
/// </remarks>
internal sealed class StartupProfile
{
    /// <summary>The environment variable that turns the profile off (<c>0</c>, <c>false</c> or <c>off</c>).</summary>
    public const string Switch = "BACKPROP_JIT_PROFILE";

    // Commands whose runs compile the numeric code; the others (info, datasets, help) are short, and bench measures the
    // process as it warms up without a helper thread beside it.
    private static readonly string[] s_commands = ["train", "predict", "evaluate", "explain", "export"];

    // A profile is a few tens of kilobytes; anything much larger in its place is not one to keep a copy of.
    private const long LargestKept = 16 << 20;

    private readonly string _path;
    private readonly bool _restorable;
    private readonly byte[]? _previous;

    private StartupProfile(string path)
    {
        _path = path;
        try
        {
            var info = new FileInfo(path);
            _previous = info.Exists ? (info.Length <= LargestKept ? File.ReadAllBytes(path) : null) : null;
            _restorable = !info.Exists || _previous is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _restorable = false;
        }
    }

    /// <summary>
    /// Starts recording (and playing back) the profile of the command that <paramref name="args"/> runs, if any; the profile as it
    /// was is kept in memory for <see cref="End"/>.
    /// </summary>
    public static StartupProfile? Start(string[] args)
    {
        if (Environment.ProcessorCount < 2
            || Location(args, Environment.GetEnvironmentVariable, OperatingSystem.IsWindows(), OperatingSystem.IsMacOS()) is not { } file)
        {
            return null;
        }
        try
        {
            Directory.CreateDirectory(file.Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // A read-only or missing home: the run compiles as it would without a profile.
            return null;
        }
        var profile = new StartupProfile(Path.Combine(file.Folder, file.Name));
        ProfileOptimization.SetProfileRoot(file.Folder);
        ProfileOptimization.StartProfile(file.Name);
        return profile;
    }

    /// <summary>
    /// Ends the run's recording: what a run that did its work compiled becomes the next run's profile (the runtime writes it as
    /// the process exits); a run that stopped at a usage error, a missing file or <c>--help</c> compiled little of what the next
    /// run needs, and leaves the profile as it found it.
    /// </summary>
    /// <remarks>
    /// Measured (2026-12-03, a default run on airquality's 87 rows, 8 alternating rounds): 0.13–0.16 s reported after a run that
    /// trained, 0.19–0.28 s after one that stopped at a missing file and left its own profile.
    /// </remarks>
    public void End(bool keep)
    {
        if (keep)
        {
            return;
        }
        ProfileOptimization.StartProfile(null); // stops the recording, which writes it now rather than at exit
        Restore();
    }

    /// <summary>Whether a run of <paramref name="args"/> that exited with <paramref name="exitCode"/> keeps what it recorded.</summary>
    internal static bool Keeps(string[] args, int exitCode) => exitCode == 0 && !args.Any(arg => arg is "-h" or "--help" or "-?" or "/h" or "/?");

    /// <summary>The profile at <paramref name="path"/> as it is now, to put back with <see cref="Restore"/> (tests).</summary>
    internal static StartupProfile Open(string path) => new(path);

    /// <summary>Puts the profile back as it was (removes it if there was none); a file that cannot be written is left as it is.</summary>
    internal void Restore()
    {
        if (!_restorable)
        {
            return;
        }
        try
        {
            if (_previous is null)
            {
                File.Delete(_path);
            }
            else
            {
                File.WriteAllBytes(_path, _previous);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the next run's speed is at stake: the runtime ignores a profile it cannot use.
        }
    }

    /// <summary>The profile's folder and file name for <paramref name="args"/>, or null when no profile is kept for this run.</summary>
    internal static (string Folder, string Name)? Location(string[] args, Func<string, string?> environment, bool windows, bool macOS)
    {
        if (args.Length == 0 || Array.IndexOf(s_commands, args[0]) < 0)
        {
            return null;
        }
        if (environment(Switch) is { } setting && setting.Trim().ToLowerInvariant() is "0" or "false" or "off" or "no")
        {
            return null;
        }
        if (environment("OMPI_COMM_WORLD_SIZE") is not null || environment("PMI_SIZE") is not null)
        {
            return null;
        }
        string? cache = CacheFolder(environment, windows, macOS);
        return cache is null ? null : (Path.Combine(cache, "backprop", "jit"), args[0] + ".jitprofile");
    }

    // The platform's folder for a user's caches; null when there is no home to put it in.
    private static string? CacheFolder(Func<string, string?> environment, bool windows, bool macOS)
    {
        if (windows)
        {
            return Absolute(environment("LOCALAPPDATA"));
        }
        string? home = Absolute(environment("HOME"));
        if (macOS)
        {
            return home is null ? null : Path.Combine(home, "Library", "Caches");
        }
        // The XDG base directory specification: a relative XDG_CACHE_HOME is invalid and ignored.
        return Absolute(environment("XDG_CACHE_HOME")) ?? (home is null ? null : Path.Combine(home, ".cache"));
    }

    private static string? Absolute(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathRooted(path) ? path : null;
}
