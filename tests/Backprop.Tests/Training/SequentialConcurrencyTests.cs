using System.Text;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>A trained model's <c>Predict</c> may be called from many threads at once (documented on <see cref="Sequential{T}.Predict"/>).</summary>
public class SequentialConcurrencyTests
{
    [Fact]
    public void Eight_threads_hammering_one_model_get_exactly_the_single_threaded_answers()
    {
        var rng = new Rng(17);
        // Wide enough that the products are large enough to be split across worker threads.
        var model = new Sequential<float>(64, new Dense<float>(64, 256), new Relu<float>(), new Dense<float>(256, 128), new Relu<float>(), new Dense<float>(128, 5));
        model.ResetParameters(rng);
        var inputs = Enumerable.Range(0, 8).Select(_ =>
        {
            var m = new Matrix<float>(300, 64);
            for (int i = 0; i < m.Length; i++) m.Data[i] = (float)rng.NextNormal();
            return m;
        }).ToArray();
        float[][] expected = inputs.Select(m => model.Predict(m).Data).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                int which = (t + round) % inputs.Length;
                float[] actual = model.Predict(inputs[which]).Data;
                if (!actual.AsSpan().SequenceEqual(expected[which])) failures.Add($"thread {t}, round {round}, input {which}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    // Runs every call of every thread (8 threads, 20 rounds each) and collects those whose answer differs from the first, single-threaded one.
    private static void Hammer<TResult>(Func<int, TResult> call, Func<TResult, TResult, bool> same, int inputs)
    {
        TResult[] expected = Enumerable.Range(0, inputs).Select(call).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                int which = (t + round) % inputs;
                if (!same(call(which), expected[which])) failures.Add($"thread {t}, round {round}, input {which}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    [Fact]
    public void Eight_threads_hammering_a_fitted_estimator_get_the_single_threaded_answers()
    {
        var rng = new Rng(5);
        var features = new Matrix<double>(200, 6);
        for (int i = 0; i < features.Length; i++) features.Data[i] = rng.NextNormal();
        int[] labels = Enumerable.Range(0, 200).Select(r => features[r, 0] + features[r, 1] > 0 ? 1 : features[r, 2] > 0.5 ? 2 : 0).ToArray();
        var classifier = new MlpClassifier<double>(new TabularTrainingOptions { HiddenLayers = [16], Epochs = 10, Seed = 1 }).Fit(features, labels);
        Matrix<double>[] inputs = Enumerable.Range(0, 4).Select(k => new Matrix<double>(features.RowRange(k * 50, 50).ToArray(), 50, 6)).ToArray();
        Hammer(k => classifier.PredictProba(inputs[k]).Data, (a, b) => a.AsSpan().SequenceEqual(b), inputs.Length);
        Hammer(k => classifier.Predict(inputs[k]), (a, b) => a.AsSpan().SequenceEqual(b), inputs.Length);
    }

    [Fact]
    public void Eight_threads_predicting_with_one_tabular_model_on_raw_tables_get_the_single_threaded_answers()
    {
        string csv = "size,color,kind\n" + string.Concat(Enumerable.Range(0, 120).Select(r => $"{r % 17 * 0.5},{(r % 3 == 0 ? "red" : r % 3 == 1 ? "blue" : "")},{(r % 17 > 8 ? "big" : "small")}\n"));
        Table table = Table.Read(() => new MemoryStream(Encoding.UTF8.GetBytes(csv)), "pets.csv");
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table);
        var network = new Sequential<float>(preprocessor.FeatureCount, new Dense<float>(preprocessor.FeatureCount, 8), new Relu<float>(), new Dense<float>(8, 2));
        network.ResetParameters(new Rng(2));
        var model = new TabularModel<float>(network, preprocessor, OutputKind.Softmax);
        Table[] inputs = Enumerable.Range(0, 3).Select(k => Table.Read(
            () => new MemoryStream(Encoding.UTF8.GetBytes("size,color\n" + string.Concat(Enumerable.Range(0, 40).Select(r => $"{(r + k) % 11},{(r % 2 == 0 ? "red" : "green")}\n")))),
            $"new{k}.csv", preprocessor.ReadOptions())).ToArray();
        Hammer(k => model.PredictProbabilities(inputs[k]).Data, (a, b) => a.AsSpan().SequenceEqual(b), inputs.Length);
    }
}
