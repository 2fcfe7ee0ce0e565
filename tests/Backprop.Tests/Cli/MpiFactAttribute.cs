namespace Backprop.Tests.Cli;

/// <summary>A fact that runs only where Open MPI's <c>mpirun</c> is installed (CI installs it); skipped with the reason otherwise.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when mpirun is missing.</summary>
    public MpiFactAttribute()
    {
        if (Found.Value is null)
        {
            Skip = "Open MPI is not installed (apt-get install openmpi-bin): the data-parallel runs are not started.";
        }
    }

    /// <summary>The launcher's executable.</summary>
    public static string Executable => Found.Value ?? throw new InvalidOperationException("mpirun is not installed.");
}
