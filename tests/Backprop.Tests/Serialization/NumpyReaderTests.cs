using System.Globalization;
using System.Numerics;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Serialization;

/// <summary>Parses saved model files with tests/python/read_model.py (plain numpy), an implementation independent of ours.</summary>
public sealed class NumpyReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-numpy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Numpy_reads_the_tensors_and_reproduces_the_predictions<T>(double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Sequential<T> model = ModelFileTests.Mlp<T>(21, 5, 7, 6, 3);
        var extras = new ModelFileExtras();
        extras.Metadata["classes"] = "[\"a\",\"b\",\"c\"]";
        string modelPath = Path.Combine(_folder, "model.safetensors"), inputsPath = Path.Combine(_folder, "inputs.csv");
        ModelFile.Save(modelPath, model, extras);
        Matrix<T> inputs = ModelFileTests.RandomInputs<T>(9, 5, 4);
        File.WriteAllLines(inputsPath, Enumerable.Range(0, inputs.Rows).Select(r =>
            string.Join(",", inputs.Row(r).ToArray().Select(v => double.CreateChecked(v).ToString("R", CultureInfo.InvariantCulture)))));

        string[] lines = NumpyFactAttribute.RunReadModel(modelPath, inputsPath);

        string dtype = typeof(T) == typeof(float) ? "F32" : "F64";
        Assert.Equal(
            [$"tensor layers.0.weight {dtype} [7, 5]", $"tensor layers.0.bias {dtype} [7]", $"tensor layers.2.weight {dtype} [6, 7]",
             $"tensor layers.2.bias {dtype} [6]", $"tensor layers.4.weight {dtype} [3, 6]", $"tensor layers.4.bias {dtype} [3]"],
            lines.Where(l => l.StartsWith("tensor ", StringComparison.Ordinal)));
        Assert.Equal(["metadata architecture", "metadata classes", "metadata format", "metadata format_version", "metadata library_version"],
            lines.Where(l => l.StartsWith("metadata ", StringComparison.Ordinal)));
        double[] numpy = lines.Where(l => l.StartsWith("output ", StringComparison.Ordinal))
            .SelectMany(l => l["output ".Length..].Split(',')).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double[] ours = model.Predict(inputs).Data.Select(double.CreateChecked).ToArray();
        Assert.Equal(ours.Length, numpy.Length);
        double difference = ours.Zip(numpy, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference <= tolerance, $"max difference {difference}");
    }

    [NumpyFact]
    public void Numpy_reads_a_float32_model() => Numpy_reads_the_tensors_and_reproduces_the_predictions<float>(1e-5);

    [NumpyFact]
    public void Numpy_reads_a_float64_model() => Numpy_reads_the_tensors_and_reproduces_the_predictions<double>(1e-12);

    [TorchFact]
    public void PyTorch_loads_the_weights_into_nn_Sequential_strictly_and_agrees()
    {
        Sequential<double> model = ModelFileTests.Mlp<double>(30, 4, 9, 9, 2);
        string modelPath = Path.Combine(_folder, "torch.safetensors"), inputsPath = Path.Combine(_folder, "torch.csv");
        ModelFile.Save(modelPath, model);
        Matrix<double> inputs = ModelFileTests.RandomInputs<double>(6, 4, 12);
        File.WriteAllLines(inputsPath, Enumerable.Range(0, inputs.Rows).Select(r =>
            string.Join(",", inputs.Row(r).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

        string[] lines = NumpyFactAttribute.RunScript("load_into_torch.py", modelPath, inputsPath);

        double[] torch = lines.SelectMany(l => l["output ".Length..].Split(',')).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double[] ours = model.Predict(inputs).Data;
        Assert.Equal(ours.Length, torch.Length);
        Assert.True(ours.Zip(torch, (a, b) => Math.Abs(a - b)).Max() <= 1e-12);
    }
}

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

/// <summary>A fact that runs only where /usr/bin/python3 can import numpy and torch; skipped with the reason otherwise.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() => NumpyFactAttribute.Imports("numpy, torch"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PyTorch is not available.</summary>
    public TorchFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "/usr/bin/python3 with numpy and torch is not available.";
        }
    }
}
