using System.Globalization;
using System.Numerics;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;
using Backprop.Layers;

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
