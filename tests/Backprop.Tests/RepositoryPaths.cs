namespace Backprop.Tests;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds Backprop.slnx.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Backprop.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Backprop.slnx not found above {AppContext.BaseDirectory}.");
    }
}
