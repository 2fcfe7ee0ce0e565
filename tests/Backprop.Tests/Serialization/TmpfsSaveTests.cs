using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Tests.Serialization;

/// <summary>
/// Saving onto a real full or read-only file system: a 64 KB tmpfs mounted for the test (needs root with mount rights,
/// which permission-bit tricks cannot replace, since root ignores them).
/// </summary>
public sealed class TmpfsSaveTests : IDisposable
{
    private readonly string _mountPoint = Directory.CreateTempSubdirectory("backprop-tmpfs-").FullName;
    private readonly bool _mounted;

    public TmpfsSaveTests()
    {
        _mounted = TmpfsFactAttribute.Mount(_mountPoint, "size=64k");
    }

    public void Dispose()
    {
        if (_mounted) TmpfsFactAttribute.Run("umount", _mountPoint);
        Directory.Delete(_mountPoint, recursive: true);
    }

    [TmpfsFact]
    public void A_full_disk_keeps_the_previous_model_and_reports_it()
    {
        Assert.True(_mounted);
        string path = Path.Combine(_mountPoint, "model.safetensors");
        Sequential<float> small = ModelFileTests.Mlp<float>(1, 4, 16, 3);
        ModelFile.Save(path, small);
        byte[] before = File.ReadAllBytes(path);

        // 100 × 200 weights in float32 are 80 KB: more than the 64 KB file system holds.
        var error = Assert.Throws<BackpropException>(() => ModelFile.Save(path, ModelFileTests.Mlp<float>(2, 200, 100, 3)));

        Assert.Contains(path, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_mountPoint));
        Assert.Equal(small.Parameters, ModelFile.Load<float>(path).Model.Parameters);
    }

    [TmpfsFact]
    public void A_read_only_file_system_keeps_the_previous_model_and_reports_it()
    {
        Assert.True(_mounted);
        string path = Path.Combine(_mountPoint, "model.safetensors");
        ModelFile.Save(path, ModelFileTests.Mlp<float>(1, 4, 16, 3));
        byte[] before = File.ReadAllBytes(path);
        Assert.Equal(0, TmpfsFactAttribute.Run("mount", "-o", "remount,ro", _mountPoint));

        var error = Assert.Throws<BackpropException>(() => ModelFile.Save(path, ModelFileTests.Mlp<float>(2, 4, 16, 3)));

        Assert.Contains(path, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}

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
