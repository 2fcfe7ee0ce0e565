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
        var holdout = new bool[data.Count];
        foreach (IGrouping<int, int> rows in Enumerable.Range(0, data.Count).GroupBy(data.Label).OrderBy(g => g.Key))
        {
            int[] members = rows.ToArray();
            rng.Shuffle<int>(members);
            int take = (int)Math.Round(fraction * members.Length, MidpointRounding.AwayFromZero);
            if (members.Length >= 2) take = Math.Clamp(take, 1, members.Length - 1);
            else take = 0;
            for (int i = 0; i < take; i++) holdout[members[i]] = true;
        }
        return Partition(data, holdout);
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
        int[] order = rng.Permutation(data.Count);
        int take = Math.Clamp((int)Math.Round(fraction * data.Count, MidpointRounding.AwayFromZero), 1, data.Count - 1);
        var holdout = new bool[data.Count];
        for (int i = 0; i < take; i++) holdout[order[i]] = true;
        return Partition(data, holdout);
    }

    private static void Check<T>(Dataset<T> data, double fraction, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Expected a held-out fraction in (0, 1).");
        }
        if (data.Count < 2)
        {
            throw new BackpropException($"Expected at least 2 samples to hold some out. Received: {data.Count}.");
        }
    }

    private static (Dataset<T>, Dataset<T>) Partition<T>(Dataset<T> data, bool[] holdout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] train = Enumerable.Range(0, data.Count).Where(i => !holdout[i]).ToArray();
        int[] held = Enumerable.Range(0, data.Count).Where(i => holdout[i]).ToArray();
        return (data.Subset(train), data.Subset(held));
    }
}
