using System.Numerics;
using System.Text;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static Sequential<T> Mlp<T>(ulong seed, params int[] widths) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<ILayer<T>>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add(new Dense<T>(widths[i], widths[i + 1]));
            if (i + 2 < widths.Length) layers.Add(new Relu<T>());
        }
        var model = new Sequential<T>(widths[0], layers.ToArray());
        model.ResetParameters(new Rng(seed));
        return model;
    }

    internal static Matrix<T> RandomInputs<T>(int rows, int columns, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var inputs = new Matrix<T>(rows, columns);
        for (int i = 0; i < inputs.Length; i++) inputs.Data[i] = T.CreateChecked(rng.NextNormal() * 2);
        return inputs;
    }

    private void Round_trip_predictions_are_bit_identical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Sequential<T> model = Mlp<T>(5, 4, 16, 8, 3);
        Matrix<T> inputs = RandomInputs<T>(37, 4, 9);
        string path = Path.Combine(_folder, "model.safetensors");
        ModelFile.Save(path, model);
        SavedModel<T> loaded = ModelFile.Load<T>(path);

        Assert.Equal(model.Parameters, loaded.Model.Parameters);
        Assert.Equal(model.Predict(inputs).Data, loaded.Model.Predict(inputs).Data);
        Assert.Equal(model.ToString(), loaded.Model.ToString());
        Assert.Equal(SafeTensor.DTypeOf<T>(), loaded.StoredDType);
    }

    [Fact]
    public void Round_trip_is_bit_identical_in_float32() => Round_trip_predictions_are_bit_identical<float>();

    [Fact]
    public void Round_trip_is_bit_identical_in_float64() => Round_trip_predictions_are_bit_identical<double>();

    [Fact]
    public void Tensors_are_named_and_shaped_like_a_PyTorch_Sequential()
    {
        Sequential<float> model = Mlp<float>(1, 4, 16, 3);
        SafeTensorsDocument document = SafeTensors.Parse(ModelFile.ToBytes(model), "m");
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"], document.Tensors.Select(t => t.Name));
        Assert.Equal([16, 4], document.Find("layers.0.weight")!.Shape);
        Assert.Equal([3], document.Find("layers.2.bias")!.Shape);
        var dense = (Dense<float>)model.Layers[2];
        Assert.Equal(dense.Weight.ToArray(), document.Find("layers.2.weight")!.ToArray<float>());
        Assert.Equal("1", document.Metadata["format_version"]);
        Assert.Equal("backprop", document.Metadata["format"]);
        Assert.Equal(
            "{\"input_features\":4,\"layers\":[{\"type\":\"Dense\",\"in_features\":4,\"out_features\":16,\"init\":\"PyTorch\"},"
            + "{\"type\":\"Relu\",\"in_features\":16,\"out_features\":16},{\"type\":\"Dense\",\"in_features\":16,\"out_features\":3,\"init\":\"PyTorch\"}]}",
            document.Metadata["architecture"]);
    }

    [Fact]
    public void A_truncated_file_on_disk_is_refused_and_its_name_given()
    {
        string path = Path.Combine(_folder, "truncated.safetensors");
        ModelFile.Save(path, Mlp<float>(2, 4, 8, 3));
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }
        string message = Assert.Throws<BackpropException>(() => ModelFile.Load<float>(path)).Message;
        Assert.Contains(path, message);
        Assert.Contains("truncated", message);
    }

    [Fact]
    public void Layer_parameter_counts_come_from_the_description()
    {
        Sequential<float> model = Mlp<float>(2, 4, 8, 3);
        ModelArchitecture architecture = ModelFile.Describe(model);
        Assert.Equal([40L, 0L, 27L], architecture.Layers.Select(LayerCatalog.ParameterCount));
        Assert.Equal(model.ParameterCount, architecture.Layers.Sum(LayerCatalog.ParameterCount));
        Assert.Equal(100_000L * 100_000 + 100_000, LayerCatalog.ParameterCount(new LayerDescription("Dense", 100_000, 100_000)));
        Assert.Equal(
            string.Join(Environment.NewLine, "Sequential(4 → 3)  // 67 parameters", "  (0) Dense(4 → 8)  // 40 parameters", "  (1) Relu(8)",
                "  (2) Dense(8 → 3)  // 27 parameters"),
            architecture.ToString());
    }

    [Fact]
    public void Extras_round_trip_and_reserved_names_are_refused()
    {
        Sequential<float> model = Mlp<float>(2, 3, 2);
        var extras = new ModelFileExtras();
        extras.Metadata["preprocessing"] = "{\"mean\":[1.5]}";
        extras.Metadata["classes"] = "[\"setosa\",\"versicolor\"]";
        extras.Tensors.Add(SafeTensor.Create<double>("history.loss", [1.0, 0.5], 2));
        string path = Path.Combine(_folder, "m.safetensors");
        ModelFile.Save(path, model, extras);
        SavedModel<float> loaded = ModelFile.Load<float>(path);
        Assert.Equal("{\"mean\":[1.5]}", loaded.Metadata["preprocessing"]);
        Assert.Equal("[\"setosa\",\"versicolor\"]", loaded.Metadata["classes"]);
        Assert.Equal([1.0, 0.5], loaded.FindTensor("history.loss")!.ToArray<double>());
        Assert.Equal(ModelFile.LibraryVersion, loaded.LibraryVersion);

        var reserved = new ModelFileExtras();
        reserved.Metadata["architecture"] = "{}";
        Assert.Throws<ArgumentException>(() => ModelFile.ToBytes(model, reserved));
        var layerName = new ModelFileExtras();
        layerName.Tensors.Add(SafeTensor.Create<float>("layers.9.weight", [1f], 1));
        Assert.Throws<ArgumentException>(() => ModelFile.ToBytes(model, layerName));
    }

    [Fact]
    public void Same_model_gives_byte_identical_files()
    {
        var extras = new ModelFileExtras();
        extras.Metadata["z"] = "1";
        extras.Metadata["a"] = "2";
        Assert.Equal(ModelFile.ToBytes(Mlp<float>(3, 4, 5, 2), extras), ModelFile.ToBytes(Mlp<float>(3, 4, 5, 2), extras));
    }

    [Fact]
    public void Loads_a_float32_file_as_float64_exactly()
    {
        Sequential<float> model = Mlp<float>(4, 3, 5, 2);
        SavedModel<double> loaded = ModelFile.FromDocument<double>(SafeTensors.Parse(ModelFile.ToBytes(model), "m"), "m");
        Assert.Equal(model.Parameters.Select(p => (double)p), loaded.Model.Parameters);
        Assert.Equal(TensorDType.F32, loaded.StoredDType);
    }

    /// <summary>Rewrites a saved model's header and tensors through <paramref name="edit"/> and returns the load error.</summary>
    private static string LoadError(Action<List<SafeTensor>, Dictionary<string, string>> edit)
    {
        SafeTensorsDocument document = SafeTensors.Parse(ModelFile.ToBytes(Mlp<float>(1, 3, 4, 2)), "m");
        var tensors = document.Tensors.ToList();
        var metadata = document.Metadata.ToDictionary();
        edit(tensors, metadata);
        byte[] bytes = SafeTensors.ToBytes(tensors, metadata);
        return Assert.Throws<BackpropException>(() => ModelFile.FromDocument<float>(SafeTensors.Parse(bytes, "m.st"), "m.st")).Message;
    }

    [Fact]
    public void Refuses_a_newer_format_version_with_an_upgrade_hint()
    {
        string message = LoadError((_, m) => m["format_version"] = "2");
        Assert.Contains("format version 2", message);
        Assert.Contains("Upgrade Backprop", message);
    }

    [Fact]
    public void Checks_every_tensor_against_the_architecture()
    {
        Assert.Contains("'layers.2.bias' of layer 2 (Dense(4 → 2)) is missing", LoadError((t, _) => t.RemoveAll(x => x.Name == "layers.2.bias")));
        Assert.Contains("has shape [2, 3]; the architecture (Dense(3 → 4)) needs [4, 3]",
            LoadError((t, _) => t[0] = SafeTensor.Create<float>("layers.0.weight", new float[6], 2, 3)));
        Assert.Contains("'layers.1.weight' matches no parameter",
            LoadError((t, _) => t.Add(SafeTensor.Create<float>("layers.1.weight", [1f], 1))));
        Assert.Contains("holds NaN at index 1",
            LoadError((t, _) => t[1] = SafeTensor.Create<float>("layers.0.bias", [0f, float.NaN, 0f, 0f], 4)));
        Assert.Contains("not a Backprop model", LoadError((_, m) => m.Remove("format")));
        Assert.Contains("architecture metadata is malformed", LoadError((_, m) => m["architecture"] = "{\"input_features\":3}"));
        Assert.Contains("Unknown layer type 'Conv2d'", Assert.Throws<BackpropException>(() =>
            LayerCatalog.Create<float>(new LayerDescription("Conv2d", 3, 3))).Message);
        Assert.Contains("changes the width", LoadError((_, m) => m["architecture"] = m["architecture"].Replace(
            "{\"type\":\"Relu\",\"in_features\":4,\"out_features\":4}", "{\"type\":\"Relu\",\"in_features\":4,\"out_features\":5}")
            .Replace("\"in_features\":4,\"out_features\":2", "\"in_features\":5,\"out_features\":2")));
    }

    [Fact]
    public void Architecture_json_round_trips_options_and_initialization()
    {
        var architecture = new ModelArchitecture(3,
        [
            new LayerDescription("Dense", 3, 4, "Normal"),
            new LayerDescription("LeakyRelu", 4, 4, Options: new Dictionary<string, double> { ["negative_slope"] = 0.02 }),
        ]);
        ModelArchitecture parsed = ModelArchitecture.Parse(architecture.ToJson(), "m");
        Assert.Equal(architecture.ToJson(), parsed.ToJson());
        Assert.Equal(0.02, parsed.Layers[1].Option("negative_slope", 0.01));
        Assert.Equal("Normal", parsed.Layers[0].Initialization);
    }

    [Fact]
    public void Resuming_from_a_saved_run_continues_exactly()
    {
        Dataset<float> iris = EmbeddedDatasets.Iris<float>();
        // Without shuffling: Trainer.Fit reshuffles its previous epoch's order in place, and that order starts over at each
        // Fit call, so a resumed shuffled run needs the order saved too (or a fresh permutation per epoch). The generator
        // state itself round-trips exactly (next test).
        // In one go: 5 epochs.
        Sequential<float> straight = Mlp<float>(7, 4, 8, 3);
        var straightOptimizer = new Momentum<float>(0.01f);
        new Trainer<float>(straight, new SoftmaxCrossEntropy<float>(), straightOptimizer, new TrainerOptions(Epochs: 5, BatchSize: 8, Shuffle: false))
            .Fit(iris, new Rng(42));

        // 2 epochs, save with optimizer and generator state, load into fresh objects, 3 more epochs.
        Sequential<float> first = Mlp<float>(7, 4, 8, 3);
        var firstOptimizer = new Momentum<float>(0.01f);
        var rng = new Rng(42);
        new Trainer<float>(first, new SoftmaxCrossEntropy<float>(), firstOptimizer, new TrainerOptions(Epochs: 2, BatchSize: 8, Shuffle: false)).Fit(iris, rng);
        var extras = new ModelFileExtras();
        ResumeState.AddOptimizer(extras, firstOptimizer);
        ResumeState.AddRng(extras, rng);
        string path = Path.Combine(_folder, "checkpoint.safetensors");
        ModelFile.Save(path, first, extras);

        SavedModel<float> saved = ModelFile.Load<float>(path);
        // The learning rate is the run's option, not optimizer state: the file does not hold it, the restore leaves it alone.
        Assert.False(saved.Metadata.ContainsKey("optimizer.learning_rate"));
        var resumedOptimizer = new Momentum<float>(0.01f);
        var resumedRng = new Rng(0);
        ResumeState.RestoreOptimizer(saved, resumedOptimizer, path);
        ResumeState.RestoreRng(saved, resumedRng, path);
        Assert.Equal(0.01f, resumedOptimizer.LearningRate);
        Assert.Equal(firstOptimizer.StepCount, resumedOptimizer.StepCount);
        new Trainer<float>(saved.Model, new SoftmaxCrossEntropy<float>(), resumedOptimizer, new TrainerOptions(Epochs: 3, BatchSize: 8, Shuffle: false))
            .Fit(iris, resumedRng);

        Assert.Equal(straight.Parameters, saved.Model.Parameters);
        Assert.Equal(straightOptimizer.State, resumedOptimizer.State);
        Assert.Equal(straightOptimizer.StepCount, resumedOptimizer.StepCount);
    }

    [Fact]
    public void Generator_state_round_trips_so_the_stream_continues()
    {
        var rng = new Rng(123);
        rng.NextUInt64();
        var extras = new ModelFileExtras();
        ResumeState.AddRng(extras, rng);
        SavedModel<float> saved = ModelFile.FromDocument<float>(SafeTensors.Parse(ModelFile.ToBytes(Mlp<float>(1, 2, 2), extras), "m"), "m");
        var restored = new Rng(0);
        ResumeState.RestoreRng(saved, restored, "m");
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()), Enumerable.Range(0, 5).Select(_ => restored.NextUInt64()));
    }

    [Fact]
    public void Restoring_optimizer_state_checks_kind_and_shape()
    {
        Sequential<float> model = Mlp<float>(1, 3, 2);
        var optimizer = new Momentum<float>(0.1f);
        optimizer.Step(model.Parameters, model.Gradients);
        var extras = new ModelFileExtras();
        ResumeState.AddOptimizer(extras, optimizer);
        SavedModel<float> saved = ModelFile.FromDocument<float>(SafeTensors.Parse(ModelFile.ToBytes(model, extras), "m"), "m");
        Assert.Contains("holds Momentum state; this run uses Sgd",
            Assert.Throws<BackpropException>(() => ResumeState.RestoreOptimizer(saved, new Sgd<float>(0.1f), "m")).Message);
        Assert.Contains("no generator state", Assert.Throws<BackpropException>(() => ResumeState.RestoreRng(saved, new Rng(1), "m")).Message);
    }

    /// <summary>A stateful optimizer (classical momentum), to exercise the state block's save and restore.</summary>
    private sealed class Momentum<T>(T learningRate) : Optimizer<T>(learningRate, stateSlots: 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, int offset, long step, T learningRate)
        {
            T beta = T.CreateChecked(0.9);
            Span<T> buffer = Slot(state, 0, offset, parameters.Length);
            for (int i = 0; i < parameters.Length; i++)
            {
                buffer[i] = beta * buffer[i] + gradients[i];
                parameters[i] -= learningRate * buffer[i];
            }
        }
    }
}
