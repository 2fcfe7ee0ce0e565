using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Serialization.Onnx;
using Backprop.Tensors;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace Backprop.Tests.Serialization.Onnx;

/// <summary>Exports with <see cref="OnnxExporter"/>, runs the file in ONNX Runtime and compares with Backprop's own predictions.</summary>
public class OnnxExporterTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static Dictionary<string, float[]> Run(byte[] model, params NamedOnnxValue[] inputs)
    {
        using var session = new InferenceSession(model);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.Value is DenseTensor<long> labels
            ? labels.ToArray().Select(l => (float)l).ToArray()
            : r.AsEnumerable<float>().ToArray());
    }

    private static NamedOnnxValue Floats(string name, Matrix<float> values) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values.Data, [values.Rows, values.Columns]));

    private static NamedOnnxValue Strings(string name, string[] values) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [values.Length, 1]));

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        double max = logits.ToArray().Max();
        double[] e = logits.ToArray().Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double MaxAbsDifference(IEnumerable<double> expected, IEnumerable<float> actual) =>
        expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();

    [Fact]
    public void Classifier_matches_Backprop_predictions_in_OnnxRuntime()
    {
        Dataset<float> iris = EmbeddedDatasets.Iris<float>();
        StandardScaler<float> scaler = StandardScaler<float>.Fit(iris.Features);
        Sequential<float> model = ModelFileTests.Mlp<float>(3, 4, 16, 3);
        new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.01f), new TrainerOptions(Epochs: 20))
            .Fit(iris.WithFeatures(scaler.Transform(iris.Features)), new Rng(1));
        string[] labels = ["setosa", "versicolor", "virginica"];
        var options = OnnxExportOptions.Numeric(iris.FeatureNames, scaler.Mean, scaler.Scale, labels);
        byte[] onnx = OnnxExporter.ToBytes(model, options);

        Dictionary<string, float[]> results = Run(onnx, Floats("features", iris.Features));

        Matrix<float> logits = model.Predict(scaler.Transform(iris.Features));
        double[] expected = Enumerable.Range(0, logits.Rows).SelectMany(r => Softmax(logits.Row(r))).ToArray();
        double difference = MaxAbsDifference(expected, results["probabilities"]);
        output.WriteLine($"classifier: {onnx.Length:N0} bytes, max |probability difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
        Assert.Equal(Classification.ArgMax(logits).Select(l => (float)l), results["label"]);
        Assert.True(Classification.Accuracy(iris.Targets.Data.Select(t => (int)t).ToArray(), results["label"].Select(l => (int)l).ToArray()) > 0.9);
    }

    [Fact]
    public void Regressor_unscales_its_prediction_like_Backprop()
    {
        Matrix<float> raw = ModelFileTests.RandomInputs<float>(64, 3, 5);
        for (int i = 0; i < raw.Length; i++) raw.Data[i] = raw.Data[i] * 10 + 100;
        StandardScaler<float> scaler = StandardScaler<float>.Fit(raw);
        Sequential<float> model = ModelFileTests.Mlp<float>(8, 3, 12, 1);
        const double targetMean = 3.0, targetScale = 2.0;
        var options = new OnnxExportOptions([new("a"), new("b"), new("c")], scaler.Mean, scaler.Scale,
            TargetMean: [targetMean], TargetScale: [targetScale]);
        byte[] onnx = OnnxExporter.ToBytes(model, options);

        float[] predictions = Run(onnx, Floats("features", raw))["prediction"];

        Matrix<float> scaled = model.Predict(scaler.Transform(raw));
        double difference = MaxAbsDifference(scaled.Data.Select(v => v * targetScale + targetMean), predictions);
        output.WriteLine($"regressor: {onnx.Length:N0} bytes, max |prediction difference| {difference:E2} (targets around {targetMean})");
        // Targets of order 1: float32 resolves them to ~1e-7. (Around 250 its spacing alone is 1.5e-5.)
        Assert.True(difference <= Tolerance, $"max difference {difference}");
    }

    [Fact]
    public void Missing_numeric_values_are_imputed_inside_the_graph()
    {
        OnnxInputColumn[] columns = [new("a", MissingValue: 1.25), new("b"), new("c", MissingValue: -3)];
        Matrix<float> raw = ModelFileTests.RandomInputs<float>(30, 3, 6);
        Matrix<float> imputed = raw.Clone();
        for (int r = 0; r < raw.Rows; r += 3)
        {
            raw[r, 0] = float.NaN;
            imputed[r, 0] = 1.25f;
        }
        for (int r = 1; r < raw.Rows; r += 4)
        {
            raw[r, 2] = float.NaN;
            imputed[r, 2] = -3f;
        }
        Sequential<float> model = ModelFileTests.Mlp<float>(12, 3, 5, 1);
        double[] mean = [0.5, -0.5, 1], scale = [2, 1, 0.5];
        byte[] onnx = OnnxExporter.ToBytes(model, new OnnxExportOptions(columns, mean, scale));

        float[] predictions = Run(onnx, Floats("features", raw))["prediction"];

        Matrix<float> expected = model.Predict(new StandardScaler<float>(mean, scale).Transform(imputed));
        double difference = MaxAbsDifference(expected.Data.Select(v => (double)v), predictions);
        Assert.True(difference <= Tolerance, $"max difference {difference}");
        Assert.Contains("only numeric columns are imputed", Assert.Throws<BackpropException>(() => OnnxExporter.ToBytes(
            ModelFileTests.Mlp<float>(1, 2, 2), new OnnxExportOptions([new("k", ["u", "v"], MissingValue: 0)]))).Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Categorical_columns_are_one_hot_encoded_inside_the_graph(bool classifier)
    {
        // Raw columns: x (numeric), color (3 categories), y (numeric), size (2 categories) → 1 + 3 + 1 + 2 = 7 encoded values.
        OnnxInputColumn[] columns = [new("x"), new("color", ["red", "green", "blue"]), new("y", MissingValue: 0.75), new("size", ["S", "L"])];
        var rng = new Rng(17);
        const int rows = 40;
        var numeric = new Matrix<float>(rows, 2);
        string[] colors = new string[rows], sizes = new string[rows];
        var encoded = new Matrix<float>(rows, 7);
        for (int r = 0; r < rows; r++)
        {
            numeric[r, 0] = (float)rng.NextNormal();
            numeric[r, 1] = (float)rng.NextNormal() * 3;
            int color = rng.NextInt(4), size = rng.NextInt(2);
            colors[r] = color == 3 ? "purple" : columns[1].Categories![color]; // "purple" is unknown: all zeros
            sizes[r] = columns[3].Categories![size];
            encoded[r, 0] = numeric[r, 0];
            if (color < 3) encoded[r, 1 + color] = 1;
            encoded[r, 4] = numeric[r, 1];
            if (r % 5 == 2)
            {
                numeric[r, 1] = float.NaN; // missing "y": imputed with 0.75 in the graph
                encoded[r, 4] = 0.75f;
            }
            encoded[r, 5 + size] = 1;
        }
        double[] mean = [0.1, 0, 0, 0, -0.5, 0, 0], scale = [1.5, 1, 1, 1, 3, 1, 1];
        Sequential<float> model = ModelFileTests.Mlp<float>(4, 7, 6, classifier ? 3 : 1);
        var options = classifier
            ? new OnnxExportOptions(columns, mean, scale, ["p", "q", "r"])
            : new OnnxExportOptions(columns, mean, scale, TargetMean: [-1.5], TargetScale: [0.5]);
        byte[] onnx = OnnxExporter.ToBytes(model, options);

        Dictionary<string, float[]> results = Run(onnx, Floats("features", numeric), Strings("color", colors), Strings("size", sizes));

        var standardized = new StandardScaler<float>(mean, scale).Transform(encoded);
        Matrix<float> outputs = model.Predict(standardized);
        double[] expected = classifier
            ? Enumerable.Range(0, rows).SelectMany(r => Softmax(outputs.Row(r))).ToArray()
            : outputs.Data.Select(v => v * 0.5 - 1.5).ToArray();
        double difference = MaxAbsDifference(expected, results[classifier ? "probabilities" : "prediction"]);
        output.WriteLine($"categorical {(classifier ? "classifier" : "regressor")}: max |difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
        if (classifier)
        {
            Assert.Equal(Classification.ArgMax(outputs).Select(l => (float)l), results["label"]);
        }
    }

    [Fact]
    public void Missing_categories_are_encoded_as_their_fill_category_inside_the_graph()
    {
        // x (numeric), sex (2 categories, a missing one is "male"), island (3 categories, no fill: a missing one is all zeros)
        // → 1 + 2 + 3 = 6 encoded values. Every spelling of every missing-value marker, known and unknown categories.
        OnnxInputColumn[] columns =
        [
            new("x", MissingValue: 0.5), new("sex", ["female", "male"], MissingCategory: "male"), new("island", ["Biscoe", "Dream", "Torgersen"]),
        ];
        string[] sexes = [.. MissingValues.Spellings, "female", "male", "unknown", "FEMALE", "NAN?"];
        int rows = sexes.Length;
        var numeric = new Matrix<float>(rows, 1);
        string[] islands = new string[rows];
        var encoded = new Matrix<float>(rows, 6);
        var sex = new OneHotEncoder(columns[1].Categories!);
        var island = new OneHotEncoder(columns[2].Categories!);
        for (int r = 0; r < rows; r++)
        {
            numeric[r, 0] = r % 4 == 1 ? float.NaN : r * 0.1f - 2;
            encoded[r, 0] = r % 4 == 1 ? 0.5f : numeric[r, 0];
            // As TabularPreprocessor encodes a cell: a marker is the fill category, anything not in training all zeros.
            sex.Encode(encoded.Row(r).Slice(1, 2), MissingValues.IsMissing(sexes[r]) ? sex.IndexOf("male") : sex.IndexOf(sexes[r]));
            islands[r] = (r % 5) switch { 0 => "NA", 1 => "", 2 => "Atlantis", _ => island.Categories[r % 3] };
            island.Encode(encoded.Row(r).Slice(3, 3), island.IndexOf(islands[r]));
        }
        double[] mean = [0.3, 0, 0, 0, 0, 0], scale = [1.7, 1, 1, 1, 1, 1];
        Sequential<float> model = ModelFileTests.Mlp<float>(9, 6, 8, 3);
        byte[] onnx = OnnxExporter.ToBytes(model, new OnnxExportOptions(columns, mean, scale, ["a", "b", "c"]));

        Dictionary<string, float[]> results = Run(onnx, Floats("features", numeric), Strings("sex", sexes), Strings("island", islands));

        Matrix<float> logits = model.Predict(new StandardScaler<float>(mean, scale).Transform(encoded));
        double[] expected = Enumerable.Range(0, rows).SelectMany(r => Softmax(logits.Row(r))).ToArray();
        double difference = MaxAbsDifference(expected, results["probabilities"]);
        output.WriteLine($"missing categories: max |probability difference| {difference:E2} over {rows} rows");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
        Assert.Equal(Classification.ArgMax(logits).Select(l => (float)l), results["label"]);
        using var session = new InferenceSession(onnx);
        Assert.Contains("as 'male'", session.ModelMetadata.GraphDescription);
    }

    [Fact]
    public void A_missing_category_must_be_a_category_and_no_category_a_missing_marker()
    {
        Sequential<float> model = ModelFileTests.Mlp<float>(1, 2, 2);
        Assert.Contains("MissingCategory of column 'k' to be one of its categories. Received: 'w'", Assert.Throws<BackpropException>(() =>
            OnnxExporter.ToBytes(model, new OnnxExportOptions([new("k", ["u", "v"], MissingCategory: "w")]))).Message);
        Assert.Contains("the category 'n/a', which reads as a missing value", Assert.Throws<BackpropException>(() =>
            OnnxExporter.ToBytes(model, new OnnxExportOptions([new("k", ["n/a", "v"], MissingCategory: "v")]))).Message);
        Assert.Contains("numeric column 'a' has a MissingCategory", Assert.Throws<BackpropException>(() =>
            OnnxExporter.ToBytes(model, new OnnxExportOptions([new("a", MissingCategory: "v"), new("b")]))).Message);
    }

    [Fact]
    public void Activations_without_a_Backprop_layer_yet_match_their_formulas()
    {
        // Tanh, Sigmoid, LeakyRelu and Gelu are exported from the architecture alone; the reference is computed here in double.
        var architecture = new ModelArchitecture(3,
        [
            new LayerDescription("Dense", 3, 5), new LayerDescription("Tanh", 5, 5),
            new LayerDescription("Dense", 5, 5), new LayerDescription("Sigmoid", 5, 5),
            new LayerDescription("Dense", 5, 5), new LayerDescription("LeakyRelu", 5, 5, Options: new Dictionary<string, double> { ["negative_slope"] = 0.2 }),
            new LayerDescription("Dense", 5, 4), new LayerDescription("Gelu", 4, 4),
            new LayerDescription("Dense", 4, 2),
        ]);
        var rng = new Rng(8);
        var tensors = new List<SafeTensor>();
        var weights = new Dictionary<int, (double[] W, double[] B)>();
        for (int k = 0; k < architecture.Layers.Count; k++)
        {
            LayerDescription layer = architecture.Layers[k];
            if (layer.Type != "Dense") continue;
            float[] w = Enumerable.Range(0, layer.OutputFeatures * layer.InputFeatures).Select(_ => (float)rng.NextNormal()).ToArray();
            float[] b = Enumerable.Range(0, layer.OutputFeatures).Select(_ => (float)rng.NextNormal()).ToArray();
            tensors.Add(SafeTensor.Create<float>($"layers.{k}.weight", w, layer.OutputFeatures, layer.InputFeatures));
            tensors.Add(SafeTensor.Create<float>($"layers.{k}.bias", b, layer.OutputFeatures));
            weights[k] = (w.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray());
        }
        Matrix<float> inputs = ModelFileTests.RandomInputs<float>(25, 3, 2);
        byte[] onnx = OnnxExporter.ToBytes(architecture, tensors, new OnnxExportOptions([new("a"), new("b"), new("c")]));

        float[] predictions = Run(onnx, Floats("features", inputs))["prediction"];

        var expected = new List<double>();
        for (int r = 0; r < inputs.Rows; r++)
        {
            double[] x = inputs.Row(r).ToArray().Select(v => (double)v).ToArray();
            for (int k = 0; k < architecture.Layers.Count; k++)
            {
                LayerDescription layer = architecture.Layers[k];
                x = layer.Type switch
                {
                    "Dense" => Enumerable.Range(0, layer.OutputFeatures)
                        .Select(o => weights[k].B[o] + Enumerable.Range(0, layer.InputFeatures).Sum(i => weights[k].W[o * layer.InputFeatures + i] * x[i])).ToArray(),
                    "Tanh" => x.Select(Math.Tanh).ToArray(),
                    "Sigmoid" => x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(),
                    "LeakyRelu" => x.Select(v => v > 0 ? v : 0.2 * v).ToArray(),
                    "Gelu" => x.Select(v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))).ToArray(),
                    _ => throw new InvalidOperationException(layer.Type),
                };
            }
            expected.AddRange(x);
        }
        double difference = MaxAbsDifference(expected, predictions);
        output.WriteLine($"activations: max |difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
    }

    [Fact]
    public void FeatureScale_and_Selu_match_Backprop_in_OnnxRuntime()
    {
        // A classifier FeatureScale(4) → Dense(4 → 8) → Selu → Dense(8 → 3), with factors of both signs, behind standardization.
        var scale = new FeatureScale<float>(4);
        var model = new Sequential<float>(4, scale, new Dense<float>(4, 8), new Selu<float>(), new Dense<float>(8, 3));
        var rng = new Rng(12);
        model.ResetParameters(rng);
        for (int i = 0; i < 4; i++) scale.Weight[i] = (float)rng.NextUniform(-3, 3);
        Matrix<float> raw = ModelFileTests.RandomInputs<float>(50, 4, 13);
        double[] mean = [0.5, -1, 0, 2], deviation = [2, 0.5, 1, 4];
        byte[] onnx = OnnxExporter.ToBytes(model, OnnxExportOptions.Numeric(["a", "b", "c", "d"], mean, deviation, ["p", "q", "r"]));

        Dictionary<string, float[]> results = Run(onnx, Floats("features", raw));

        Matrix<float> logits = model.Predict(new StandardScaler<float>(mean, deviation).Transform(raw));
        double difference = MaxAbsDifference(Enumerable.Range(0, logits.Rows).SelectMany(r => Softmax(logits.Row(r))), results["probabilities"]);
        output.WriteLine($"FeatureScale + Selu: max |probability difference| {difference:E2}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
        Assert.Equal(Classification.ArgMax(logits).Select(l => (float)l), results["label"]);
    }

    [Fact]
    public void Mish_matches_Backprop_in_OnnxRuntime_far_into_its_tails()
    {
        // Mish → Dense(3 → 6) → Mish → Dense(6 → 2), a regressor on raw inputs up to |x| = 100: the graph's
        // x · Tanh(Softplus(x)) must neither overflow for large x nor lose the tail for very negative x.
        var model = new Sequential<float>(3, new Mish<float>(), new Dense<float>(3, 6), new Mish<float>(), new Dense<float>(6, 2));
        model.ResetParameters(new Rng(14));
        Matrix<float> inputs = ModelFileTests.RandomInputs<float>(40, 3, 15);
        float[] tails = [-100, -50, -20, -5, 5, 20, 50, 100];
        for (int r = 0; r < tails.Length; r++) inputs[r, r % 3] = tails[r];
        byte[] onnx = OnnxExporter.ToBytes(model, OnnxExportOptions.Numeric(["a", "b", "c"]));

        float[] predictions = Run(onnx, Floats("features", inputs))["prediction"];

        float[] expected = model.Predict(inputs).Data;
        // Relative to the output's size: outputs reach tens here, where float32's spacing alone is a few 1e-6.
        double difference = expected.Zip(predictions, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
        output.WriteLine($"Mish: max relative prediction difference {difference:E2}, largest output {expected.Max(Math.Abs):F1}");
        Assert.True(difference <= Tolerance, $"max difference {difference}");
    }

    [Fact]
    public void Float64_models_export_and_mismatches_are_refused()
    {
        Sequential<double> model = ModelFileTests.Mlp<double>(6, 2, 4, 2);
        Matrix<double> inputs = ModelFileTests.RandomInputs<double>(10, 2, 3);
        byte[] onnx = OnnxExporter.ToBytes(model, OnnxExportOptions.Numeric(["u", "v"], classLabels: ["no", "yes"]));
        float[] probabilities = Run(onnx, Floats("features", inputs.Convert<float>()))["probabilities"];
        Matrix<double> logits = model.Predict(inputs);
        double[] expected = Enumerable.Range(0, logits.Rows).SelectMany(r => Softmax(logits.Row(r).ToArray().Select(v => (float)v).ToArray())).ToArray();
        Assert.True(MaxAbsDifference(expected, probabilities) <= Tolerance);

        Assert.Contains("encode to 3 values; the model takes 2", Assert.Throws<BackpropException>(() =>
            OnnxExporter.ToBytes(model, OnnxExportOptions.Numeric(["u", "v", "w"]))).Message);
        Assert.Contains("3 class labels for a model with 2 outputs", Assert.Throws<BackpropException>(() =>
            OnnxExporter.ToBytes(model, OnnxExportOptions.Numeric(["u", "v"], classLabels: ["a", "b", "c"]))).Message);
    }

    [Fact]
    public void Metadata_props_carry_labels_and_feature_order()
    {
        Sequential<float> model = ModelFileTests.Mlp<float>(6, 2, 3);
        OnnxExportOptions options = OnnxExportOptions.Numeric(["petal", "sepal"], classLabels: ["a", "b", "c"]);
        string path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");
        OnnxExporter.Save(path, model, options);
        byte[] saved = File.ReadAllBytes(path);
        File.Delete(path);
        Assert.Equal(OnnxExporter.ToBytes(model, options), saved);
        using var session = new InferenceSession(saved);
        ModelMetadata metadata = session.ModelMetadata;
        Assert.Equal("[\"a\",\"b\",\"c\"]", metadata.CustomMetadataMap["class_labels"]);
        Assert.Equal("[\"petal\",\"sepal\"]", metadata.CustomMetadataMap["feature_names"]);
        Assert.Equal("Backprop", metadata.ProducerName);
        Assert.Contains("petal, sepal", metadata.GraphDescription);
        Assert.Equal(["features"], session.InputMetadata.Keys);
        Assert.Equal(["probabilities", "label"], session.OutputMetadata.Keys);
    }

    // erf to ~1e-12: Taylor series below 3 (largest term ~e⁹, so little cancellation), asymptotic erfc expansion above.
    private static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a >= 3)
        {
            double x2 = a * a;
            double erfc = Math.Exp(-x2) / (a * Math.Sqrt(Math.PI)) * (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 * x2 * x2));
            return Math.Sign(x) * (1 - erfc);
        }
        double sum = 0, term = x;
        for (int n = 0; n < 100; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
