using Backprop.Layers;
using Backprop.Preprocessing;
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
    // Raw columns of a penguins-like table: bill_length (numeric, imputed), island (3 categories), body_mass (numeric),
    // sex (2 categories, imputed) → 1 + 3 + 1 + 2 = 7 encoded values.
    private static readonly OnnxInputColumn[] Mixed =
    [
        new("bill_length", MissingValue: 44), new("island", ["Biscoe", "Dream", "Torgersen"]), new("body_mass"),
        new("sex", ["female", "male"], MissingCategory: "male"),
    ];

    private static readonly double[] MixedMean = [44, 0, 0, 0, 4200, 0, 0], MixedScale = [5.5, 1, 1, 1, 800, 1, 1];

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

    [OnnxCheckerFact]
    public void Classifier_with_categorical_columns_passes_the_checker() =>
        OnnxChecker.AssertValid(Export(7, 3, new OnnxExportOptions(Mixed, MixedMean, MixedScale, ["Adelie", "Chinstrap", "Gentoo"])), _folder, "categorical-classifier");

    [OnnxCheckerFact]
    public void Binary_classifier_passes_the_checker() =>
        OnnxChecker.AssertValid(Export(7, 2, new OnnxExportOptions(Mixed, MixedMean, MixedScale, ["female", "male"])), _folder, "binary-classifier");

    [OnnxCheckerFact]
    public void Calibrated_softmax_and_sigmoid_classifiers_pass_the_checker()
    {
        // A temperature on the softmax, on an ensemble's averaged probabilities, and on sigmoid outputs (one logit; one per class).
        string[] three = ["Adelie", "Chinstrap", "Gentoo"];
        OnnxChecker.AssertValid(Export(7, 3, new OnnxExportOptions(Mixed, MixedMean, MixedScale, three) { Temperature = 0.8 }), _folder, "temperature");
        OnnxChecker.AssertValid(Export(7, 9, new OnnxExportOptions(Mixed, MixedMean, MixedScale, three) { Temperature = 1.3, Members = 3 }), _folder, "temperature-ensemble");
        OnnxChecker.AssertValid(Export(7, 1, new OnnxExportOptions(Mixed, MixedMean, MixedScale, ["female", "male"]) { SigmoidOutputs = true, Temperature = 0.7 }),
            _folder, "sigmoid-binary");
        OnnxChecker.AssertValid(Export(7, 6, new OnnxExportOptions(Mixed, MixedMean, MixedScale, three) { SigmoidOutputs = true, Members = 2, Temperature = 1.2 }),
            _folder, "sigmoid-ensemble");
    }

    [OnnxCheckerFact]
    public void Regressor_with_a_date_column_passes_the_checker()
    {
        // A date's own double input, imputed, scaled, binned and its calendar computed in double, then cast into the float row.
        var date = new FeatureColumnState("day", FeatureKind.Date, 19700, 300, 19700, Edges: [19000, 19500, 20000, 20500],
            Calendar: [CalendarPart.Weekday, CalendarPart.Year, CalendarPart.Day]);
        OnnxInputColumn[] columns = [new("x", MissingValue: 0), new("day", MissingValue: 19700, Date: date)];
        int width = 1 + date.Width;
        var options = new OnnxExportOptions(columns, new double[width], [.. Enumerable.Repeat(1.0, width)], TargetMean: [5], TargetScale: [2]);
        OnnxChecker.AssertValid(Export(width, 1, options), _folder, "date-regressor");
    }

    [OnnxCheckerFact]
    public void Regressor_with_categorical_columns_passes_the_checker()
    {
        var options = new OnnxExportOptions(Mixed, MixedMean, MixedScale, TargetMean: [200], TargetScale: [14]);
        OnnxChecker.AssertValid(Export(7, 1, options), _folder, "categorical-regressor");
    }

    [OnnxCheckerFact]
    public void Regressor_of_categorical_columns_only_without_target_scaling_passes_the_checker()
    {
        // No `features` input, one encoded piece (no Concat), no standardization and an Identity output.
        OnnxInputColumn[] columns = [new("island", ["Biscoe", "Dream", "Torgersen"])];
        OnnxChecker.AssertValid(Export(3, 2, new OnnxExportOptions(columns)), _folder, "categorical-only-regressor");
    }

    [OnnxCheckerFact]
    public void Feature_scale_passes_the_checker()
    {
        // FeatureScale(7) first (its Mul by a (7) initializer broadcasts over the rows), then Selu and Mish hidden layers.
        var model = new Sequential<float>(7, new FeatureScale<float>(7), new Dense<float>(7, 6), new Selu<float>(), new Dense<float>(6, 5),
            new Mish<float>(), new Dense<float>(5, 3));
        model.ResetParameters(new Rng(3));
        byte[] onnx = OnnxExporter.ToBytes(model, new OnnxExportOptions(Mixed, MixedMean, MixedScale, ["Adelie", "Chinstrap", "Gentoo"]));
        OnnxChecker.AssertValid(onnx, _folder, "feature-scale");
    }

    [OnnxCheckerTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ensemble_with_a_periodic_embedding_passes_the_checker(bool classifier)
    {
        // The periodic embedding (Unsqueeze, Round, Cos, a batched MatMul, Concat, Reshape); four members: grouped layers
        // (block-diagonal Gemms), then Reshape to (N, 4, O), Softmax per member and ReduceMean.
        Sequential<float> model = Mlp.Create<float>(7, [6, 5], classifier ? 3 : 1, members: 4, embedding: InputEmbedding.Periodic);
        model.ResetParameters(new Rng(3));
        OnnxExportOptions options = classifier
            ? new OnnxExportOptions(Mixed, MixedMean, MixedScale, ["Adelie", "Chinstrap", "Gentoo"]) { Members = 4 }
            : new OnnxExportOptions(Mixed, MixedMean, MixedScale, TargetMean: [200], TargetScale: [14]) { Members = 4 };
        OnnxChecker.AssertValid(OnnxExporter.ToBytes(model, options), _folder, classifier ? "ensemble-classifier" : "ensemble-regressor");
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
