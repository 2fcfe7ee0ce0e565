namespace Backprop.Tests.Serialization.Onnx;

/// <summary>A fact that runs only where /usr/bin/python3 can import the official <c>onnx</c> package; skipped with the reason otherwise.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the checker is not available.</summary>
    public OnnxCheckerFactAttribute() => Skip = OnnxChecker.SkipReason;
}

/// <summary>A theory that runs only where /usr/bin/python3 can import the official <c>onnx</c> package; skipped with the reason otherwise.</summary>
public sealed class OnnxCheckerTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the checker is not available.</summary>
    public OnnxCheckerTheoryAttribute() => Skip = OnnxChecker.SkipReason;
}

/// <summary>Runs tests/python/check_onnx.py, the official ONNX checker (full check, strict shape inference with type checks).</summary>
internal static class OnnxChecker
{
    private static readonly Lazy<bool> Available = new(() => NumpyFactAttribute.Imports("onnx.checker, onnx.shape_inference"));

    /// <summary><see langword="null"/> where the checker can run; otherwise why not, and how to install it.</summary>
    public static string? SkipReason => Available.Value
        ? null
        : "/usr/bin/python3 with the onnx package is not available (apt-get install python3-onnx; .ci/run installs it where apt-get can).";

    /// <summary>Writes <paramref name="model"/> to <paramref name="folder"/> as <paramref name="name"/>.onnx and checks it; fails with the checker's message.</summary>
    public static void AssertValid(byte[] model, string folder, string name)
    {
        string path = Path.Combine(folder, name + ".onnx");
        File.WriteAllBytes(path, model);
        string line = Assert.Single(NumpyFactAttribute.RunScript("check_onnx.py", path));
        Assert.StartsWith($"ok {path} ", line, StringComparison.Ordinal);
    }
}
