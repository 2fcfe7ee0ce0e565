using Backprop.Layers;
using Backprop.Serialization.Onnx;
using Backprop.Tensors;

namespace Backprop.Tests.Serialization.Onnx;

/// <summary>
/// Exported graphs pass the official ONNX checker as converters and optimizers run it: <c>check_model(full_check=True)</c>,
/// strict shape inference with type checks, and a complete type for every value (tests/python/check_onnx.py).
/// </summary>
/// <remarks>ONNX Runtime runs graphs the checker refuses; the numeric results are compared there, in <see cref="OnnxExporterTests"/>.</remarks>
public sealed class OnnxCheckerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-onnx-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Every activation an MLP can have.</summary>
    public static TheoryData<Activation> Activations => new(Enum.GetValues<Activation>());

    private static byte[] Export(int inputs, int outputs, OnnxExportOptions options, Activation activation = Activation.Relu, double dropout = 0)
    {
        Sequential<float> model = Mlp.Create<float>(inputs, [6, 5], outputs, activation, dropout: dropout);
        model.ResetParameters(new Rng(3));
        return OnnxExporter.ToBytes(model, options);
    }

    [OnnxCheckerFact]
    public void Numeric_classifier_passes_the_checker()
    {
        OnnxInputColumn[] columns = [new("sepal_length", MissingValue: 5.8), new("sepal_width"), new("petal_length", MissingValue: 3.8), new("petal_width")];
        var options = new OnnxExportOptions(columns, [5.8, 3.1, 3.8, 1.2], [0.8, 0.4, 1.8, 0.8], ["setosa", "versicolor", "virginica"]);
        OnnxChecker.AssertValid(Export(4, 3, options), _folder, "numeric-classifier");
    }

    [OnnxCheckerTheory]
    [MemberData(nameof(Activations))]
    public void Every_activation_passes_the_checker(Activation activation)
    {
        // Numeric inputs only, so that a failure here is the activation's (with a dropout layer, which exports as nothing).
        var options = OnnxExportOptions.Numeric(["a", "b", "c", "d"], classLabels: ["p", "q", "r"]);
        OnnxChecker.AssertValid(Export(4, 3, options, activation, dropout: 0.1), _folder, $"activation-{activation}");
    }
}
