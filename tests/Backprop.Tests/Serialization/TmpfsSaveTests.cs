using Backprop.Serialization;
using Backprop.Training;
using Backprop.Layers;

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

    [TmpfsFact]
    public void A_read_only_file_system_fails_the_check_before_the_work()
    {
        Assert.True(_mounted);
        Assert.Equal(0, TmpfsFactAttribute.Run("mount", "-o", "remount,ro", _mountPoint));
        string path = Path.Combine(_mountPoint, "model.safetensors");

        var error = Assert.Throws<BackpropException>(() => Backprop.IO.AtomicFile.CheckTarget(path));

        Assert.Equal($"Cannot save '{path}': Read-only file system.", error.Message);
    }

    [TmpfsFact]
    public void Training_onto_a_read_only_file_system_stops_before_the_first_epoch()
    {
        Assert.True(_mounted);
        Assert.Equal(0, TmpfsFactAttribute.Run("mount", "-o", "remount,ro", _mountPoint));
        string path = Path.Combine(_mountPoint, "model.safetensors");

        var (code, output, error) = Backprop.Tests.Cli.CliRunner.Run("train", "--epochs", "3", "--save", path);

        // The run would have trained and then lost the model: it fails first, with nothing printed for an epoch.
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"error: Cannot save '{path}': Read-only file system.", error.TrimEnd('\n'));
    }
}
