namespace Backprop.Tests.Serialization;

/// <summary>A fact that runs only where this process can mount a tmpfs (Linux, root with mount rights); skipped otherwise.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when a tmpfs cannot be mounted.</summary>
    public TmpfsFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "Cannot mount a tmpfs here (needs Linux and root with mount rights) to simulate a full or read-only disk.";
        }
    }

    /// <summary>Mounts a tmpfs with <paramref name="options"/> on <paramref name="mountPoint"/>; whether it worked.</summary>
    public static bool Mount(string mountPoint, string options) =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint) == 0;

    /// <summary>Runs a system command quietly; its exit code, or -1 if it could not start.</summary>
    public static int Run(string program, params string[] arguments) => ExternalProcess.Run(program, arguments).ExitCode;

    private static bool Probe()
    {
        string probe = Directory.CreateTempSubdirectory("backprop-tmpfs-probe-").FullName;
        try
        {
            if (!Mount(probe, "size=4k")) return false;
            return Run("umount", probe) == 0;
        }
        finally
        {
            Directory.Delete(probe);
        }
    }
}
