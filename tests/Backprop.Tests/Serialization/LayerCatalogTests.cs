using System.Numerics;
using Backprop.Layers;
using Backprop.Serialization;
using Backprop.Tensors;

namespace Backprop.Tests.Serialization;

public sealed class LayerCatalogTests : TempFileTest
{
    // FeatureScale(5) → Dense(5 → 8) → Selu → Dense(8 → 6) → Mish → Dense(6 → 3), the factors drawn away from their initial 1.
    internal static Sequential<T> Network<T>(ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = new FeatureScale<T>(5);
        var model = new Sequential<T>(5, scale, new Dense<T>(5, 8), new Selu<T>(), new Dense<T>(8, 6), new Mish<T>(), new Dense<T>(6, 3));
        var rng = new Rng(seed);
        model.ResetParameters(rng);
        for (int i = 0; i < 5; i++) scale.Weight[i] = T.CreateChecked(rng.NextUniform(-2, 2));
        return model;
    }

    private void Round_trip_is_bit_identical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Sequential<T> model = Network<T>(4);
        Matrix<T> inputs = ModelFileTests.RandomInputs<T>(29, 5, 6);
        for (int i = 0; i < inputs.Length; i += 7) inputs.Data[i] *= T.CreateChecked(20); // into the activations' tails
        string path = Path.Combine(Files.Directory, "model.safetensors");
        ModelFile.Save(path, model);
        SavedModel<T> loaded = ModelFile.Load<T>(path);

        Assert.Equal(model.Parameters, loaded.Model.Parameters);
        Assert.Equal(model.Predict(inputs).Data, loaded.Model.Predict(inputs).Data);
        Assert.Equal(model.ToString(), loaded.Model.ToString());
        Assert.Equal(model.Layers.Select(l => l.GetType()), loaded.Model.Layers.Select(l => l.GetType()));
    }

    [Fact]
    public void FeatureScale_Selu_and_Mish_round_trip_bit_identically_in_float32() => Round_trip_is_bit_identical<float>();

    [Fact]
    public void FeatureScale_Selu_and_Mish_round_trip_bit_identically_in_float64() => Round_trip_is_bit_identical<double>();

    [Fact]
    public void FeatureScale_is_saved_as_one_weight_tensor_of_its_width()
    {
        Sequential<float> model = Network<float>(1);
        SafeTensorsDocument document = SafeTensors.Parse(ModelFile.ToBytes(model), "m");
        Assert.Equal(["layers.0.weight", "layers.1.weight", "layers.1.bias", "layers.3.weight", "layers.3.bias", "layers.5.weight", "layers.5.bias"],
            document.Tensors.Select(t => t.Name));
        Assert.Equal([5], document.Find("layers.0.weight")!.Shape);
        Assert.Equal(((FeatureScale<float>)model.Layers[0]).Weight.ToArray(), document.Find("layers.0.weight")!.ToArray<float>());
        string architecture = document.Metadata["architecture"];
        Assert.StartsWith("{\"input_features\":5,\"layers\":[{\"type\":\"FeatureScale\",\"in_features\":5,\"out_features\":5},", architecture);
        Assert.Contains("{\"type\":\"Selu\",\"in_features\":8,\"out_features\":8}", architecture);
        Assert.Contains("{\"type\":\"Mish\",\"in_features\":6,\"out_features\":6}", architecture);
        ModelArchitecture parsed = ModelFile.Describe(model);
        Assert.Equal(5L, LayerCatalog.ParameterCount(parsed.Layers[0]));
        Assert.Equal(model.ParameterCount, parsed.ParameterCount);
        Assert.StartsWith($"Sequential(5 → 3)  // {model.ParameterCount:N0} parameters{Environment.NewLine}  (0) FeatureScale(5)  // 5 parameters", parsed.ToString());
    }

    [Fact]
    public void Every_activation_choice_is_saved_and_rebuilt()
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            ILayer<double> layer = Mlp.CreateActivation<double>(activation);
            _ = new Sequential<double>(3, layer);
            LayerDescription description = LayerCatalog.Describe(layer);
            Assert.Equal(layer.GetType(), LayerCatalog.Create<double>(description).GetType());
            Assert.Empty(LayerCatalog.ParameterTensors(description));
        }
    }

    [Fact]
    public void Unknown_kinds_and_a_FeatureScale_that_changes_the_width_are_refused()
    {
        string unknown = Assert.Throws<BackpropException>(() => LayerCatalog.Create<float>(new LayerDescription("Swish", 3, 3))).Message;
        Assert.Contains("knows Dense, GroupedDense, FeatureScale, PeriodicEmbedding, Relu, LeakyRelu, Tanh, Sigmoid, Gelu, Selu, Mish and Dropout", unknown);
        Assert.Contains("as many outputs as inputs. Received: FeatureScale(3 → 4)",
            Assert.Throws<BackpropException>(() => LayerCatalog.Create<float>(new LayerDescription("FeatureScale", 3, 4))).Message);
    }

    [Fact]
    public void A_file_whose_FeatureScale_changes_the_width_is_refused()
    {
        // Layers that chain (FeatureScale(5 → 4) → Dense(4 → 8)) and tensors of the shapes the architecture gives
        // (weight (5), then (8, 4)): only the catalog knows that a feature scale cannot change the width.
        SafeTensorsDocument document = SafeTensors.Parse(ModelFile.ToBytes(Network<float>(2)), "m");
        var tensors = document.Tensors.ToList();
        tensors[1] = SafeTensor.Create<float>("layers.1.weight", new float[8 * 4], 8, 4);
        var metadata = document.Metadata.ToDictionary();
        metadata["architecture"] = metadata["architecture"]
            .Replace("{\"type\":\"FeatureScale\",\"in_features\":5,\"out_features\":5}", "{\"type\":\"FeatureScale\",\"in_features\":5,\"out_features\":4}")
            .Replace("{\"type\":\"Dense\",\"in_features\":5,", "{\"type\":\"Dense\",\"in_features\":4,");
        byte[] bytes = SafeTensors.ToBytes(tensors, metadata);
        string message = Assert.Throws<BackpropException>(() => ModelFile.FromDocument<float>(SafeTensors.Parse(bytes, "m.st"), "m.st")).Message;
        Assert.Contains("its architecture cannot be built (Expected a FeatureScale with as many outputs as inputs. Received: FeatureScale(5 → 4))", message);
    }
}
