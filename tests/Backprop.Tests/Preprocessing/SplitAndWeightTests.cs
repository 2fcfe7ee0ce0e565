using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

public class SplitAndWeightTests
{
    [Fact]
    public void Balanced_class_weights_are_n_over_classes_times_count()
    {
        // Two classes present (n_classes = 2), four samples: [4 / (2·3), 4 / (2·1)]; the absent class 2 weighs 0.
        Assert.Equal([4.0 / 6, 2.0, 0], ClassWeights.Balanced([0, 0, 0, 1], 3));
        Assert.Equal([1.0, 1.0], ClassWeights.Balanced([1, 0], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassWeights.Balanced([0, 3], 3));
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions_and_partitions_the_rows()
    {
        Dataset<double> iris = EmbeddedDatasets.Iris<double>();
        (Dataset<double> train, Dataset<double> held) = DataSplit.Stratified(iris, 0.2, new Rng(5));
        Assert.Equal(120, train.Count);
        Assert.Equal(30, held.Count);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(10, Enumerable.Range(0, held.Count).Count(i => held.Label(i) == c));
        }
        // Every original row ends up in exactly one part (rows are distinct enough to compare by features + label).
        var all = Enumerable.Range(0, train.Count).Select(i => Key(train, i)).Concat(Enumerable.Range(0, held.Count).Select(i => Key(held, i)));
        Assert.Equal(Enumerable.Range(0, iris.Count).Select(i => Key(iris, i)).Order(), all.Order());
    }

    [Fact]
    public void Stratified_split_depends_on_the_seed_only()
    {
        Dataset<double> wine = EmbeddedDatasets.Wine<double>();
        string Held(ulong seed)
        {
            (_, Dataset<double> held) = DataSplit.Stratified(wine, 0.25, new Rng(seed));
            return string.Join(";", Enumerable.Range(0, held.Count).Select(i => Key(held, i)));
        }
        Assert.Equal(Held(3), Held(3));
        Assert.NotEqual(Held(3), Held(4));
    }

    [Fact]
    public void Random_split_holds_out_the_rounded_fraction()
    {
        var data = new Dataset<double>(new Matrix<double>(Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), 10, 1), new Matrix<double>(10, 1));
        (Dataset<double> train, Dataset<double> held) = DataSplit.Random(data, 0.25, new Rng(1));
        Assert.Equal(3, held.Count); // round(2.5) away from zero
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), train.Features.Data.Concat(held.Features.Data).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Random(data, 1.0, new Rng(1)));
    }

    private static string Key(Dataset<double> d, int row) => string.Join(",", d.Features.Row(row).ToArray()) + ":" + d.Label(row);
}
