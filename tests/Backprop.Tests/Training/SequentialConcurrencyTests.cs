using Backprop.Layers;
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
}
