using System.Numerics;
using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.Preprocessing;

/// <summary>Splits a <see cref="Dataset{T}"/> into a training part and a held-out part.</summary>
public static class DataSplit
{
    /// <summary>
    /// A stratified split for classification: each class contributes <c>round(fraction · count_c)</c> of its samples to the held-out
    /// part (at least one when the class has two or more), so class proportions match in both parts. scikit-learn's
    /// <c>train_test_split(stratify=y)</c> in spirit; the rounding differs slightly.
    /// </summary>
    /// <param name="data">Classification data: targets <c>(N, 1)</c> of class indices.</param>
    /// <param name="fraction">Held-out share in <c>(0, 1)</c>.</param>
    /// <param name="rng">The run's generator: which samples go where.</param>
    /// <returns>The two parts; each keeps the original row order within itself.</returns>
    public static (Dataset<T> Train, Dataset<T> Holdout) Stratified<T>(Dataset<T> data, double fraction, Rng rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(data, fraction, rng);
        if (data.Targets.Columns != 1)
        {
            throw new ArgumentException($"Expected one target column of class indices. Received: {data.Targets.Columns}.", nameof(data));
        }
        var (train, holdout) = StratifiedIndices(data.Labels(), fraction, rng);
        return (data.Subset(train), data.Subset(holdout));
    }

    /// <summary>A uniformly random split (for regression): <c>round(fraction · N)</c> samples, at least one, are held out.</summary>
    /// <param name="data">Any data.</param>
    /// <param name="fraction">Held-out share in <c>(0, 1)</c>.</param>
    /// <param name="rng">The run's generator.</param>
    /// <returns>The two parts; each keeps the original row order within itself.</returns>
    public static (Dataset<T> Train, Dataset<T> Holdout) Random<T>(Dataset<T> data, double fraction, Rng rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(data, fraction, rng);
        var (train, holdout) = RandomIndices(data.Count, fraction, rng);
        return (data.Subset(train), data.Subset(holdout));
    }

    private static void Check<T>(Dataset<T> data, double fraction, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(data.Count, fraction, rng);
    }

    private static void Check(int count, double fraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Expected a held-out fraction in (0, 1).");
        }
        if (count < 2)
        {
            throw new BackpropException($"Expected at least 2 samples to hold some out. Received: {count}.");
        }
    }

    /// <summary>
    /// The stratified split of <see cref="Stratified{T}"/> on positions <c>0 .. labels.Count−1</c>: each label contributes
    /// <c>round(fraction · count)</c> of its positions to the held-out part (at least one and at most all but one when it has two or
    /// more), drawn from <paramref name="rng"/>, labels taken in ascending order. Both parts are returned in ascending order.
    /// </summary>
    public static (int[] Train, int[] Holdout) StratifiedIndices(IReadOnlyList<int> labels, double fraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check(labels.Count, fraction, rng);
        var holdout = new bool[labels.Count];
        foreach (IGrouping<int, int> rows in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            int[] members = rows.ToArray();
            rng.Shuffle<int>(members);
            int take = (int)Math.Round(fraction * members.Length, MidpointRounding.AwayFromZero);
            if (members.Length >= 2) take = Math.Clamp(take, 1, members.Length - 1);
            else take = 0;
            for (int i = 0; i < take; i++) holdout[members[i]] = true;
        }
        return Partition(holdout);
    }

    /// <summary>The random split of <see cref="Random{T}"/> on positions <c>0 .. count−1</c>; both parts in ascending order.</summary>
    public static (int[] Train, int[] Holdout) RandomIndices(int count, double fraction, Rng rng)
    {
        Check(count, fraction, rng);
        int[] order = rng.Permutation(count);
        int take = Math.Clamp((int)Math.Round(fraction * count, MidpointRounding.AwayFromZero), 1, count - 1);
        var holdout = new bool[count];
        for (int i = 0; i < take; i++) holdout[order[i]] = true;
        return Partition(holdout);
    }

    private static (int[] Train, int[] Holdout) Partition(bool[] holdout) =>
        (Enumerable.Range(0, holdout.Length).Where(i => !holdout[i]).ToArray(), Enumerable.Range(0, holdout.Length).Where(i => holdout[i]).ToArray());
}
