namespace Backprop.Tests.Serialization;

/// <summary>A fact that runs only where /usr/bin/python3 can import numpy; skipped with the reason otherwise.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Available = new(() => Imports("numpy"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when numpy is not available.</summary>
    public NumpyFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"{Python} with numpy is not available (apt-get install python3-numpy).";
        }
    }

    /// <summary>Runs tests/python/read_model.py with <paramref name="arguments"/> and returns its output lines; fails on a non-zero exit.</summary>
    public static string[] RunReadModel(params string[] arguments) => RunScript("read_model.py", arguments);

    /// <summary>Runs tests/python/<paramref name="scriptName"/> with <paramref name="arguments"/> and returns its output lines.</summary>
    public static string[] RunScript(string scriptName, params string[] arguments)
    {
        string script = Path.Combine(RepositoryRoot(), "tests", "python", scriptName);
        (int exitCode, string output, string error) = ExternalProcess.Run(Python, [script, .. arguments]);
        Assert.True(exitCode == 0, $"{scriptName} exited with {exitCode}: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    internal static bool Imports(string module) => File.Exists(Python) && ExternalProcess.Run(Python, "-c", $"import {module}").ExitCode == 0;

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Backprop.slnx"))) return folder.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (Backprop.slnx) above " + AppContext.BaseDirectory);
    }
}
