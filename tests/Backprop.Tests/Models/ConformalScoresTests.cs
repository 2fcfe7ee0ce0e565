using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public class ConformalScoresTests
{
    [Fact]
    public void Split_conformal_covers_new_exchangeable_values_as_asked_over_many_draws()
    {
        // 400 draws of 50 held-out errors and 200 new ones from the same distribution: the interval ŷ ± q̂ covers 1 − α on
        // average (at least, and by at most 1/(n + 1) more), whatever the distribution (here heavy-tailed).
        var rng = new Rng(21);
        double covered = 0;
        const int draws = 400, n = 50, fresh = 200;
        for (int d = 0; d < draws; d++)
        {
            var scores = new ConformalScores([Enumerable.Range(0, n).Select(_ => Math.Abs(Cauchy(rng))).ToArray()]);
            (double lower, double upper) = scores.Interval([0.0], 0.9);
            Assert.Equal(-lower, upper, 1e-12);
            for (int i = 0; i < fresh; i++) covered += Math.Abs(Cauchy(rng)) <= upper ? 1 : 0;
        }
        double coverage = covered / (draws * fresh);
        Assert.InRange(coverage, 0.9 - 0.01, 0.9 + 1.0 / (n + 1) + 0.01);
    }

    [Fact]
    public void The_threshold_is_the_score_of_rank_ceiling_of_coverage_times_n_plus_one()
    {
        var scores = new ConformalScores([[5.0, 1, 4, 2, 3, 9, 8, 7, 6]]); // n = 9: rank ⌈0.9 · 10⌉ = 9, the largest
        Assert.Equal((-9.0 + 10, 9.0 + 10), scores.Interval([10.0], 0.9));
        Assert.Equal((-8.0, 8.0), scores.Interval([0.0], 0.8)); // rank 8
        // Too few rows for 0.95: rank 10 > 9, no finite interval promises it.
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), scores.Interval([0.0], 0.95));
        // A class whose score is at the threshold is in; above it, out.
        Assert.True(scores.Includes([9.0], 0.9));
        Assert.False(scores.Includes([9.5], 0.9));
        Assert.True(scores.Includes([8.0], 0.8));
        Assert.False(scores.Includes([8.01], 0.8));
    }

    [Fact]
    public void Cross_fitted_intervals_are_the_ranks_of_each_members_prediction_plus_and_minus_its_folds_errors()
    {
        // CV+ by brute force: all μₖ₍ᵢ₎ ± Rᵢ sorted, the ⌊α(n + 1)⌋-th smallest below and the ⌈(1 − α)(n + 1)⌉-th above.
        var rng = new Rng(2);
        for (int trial = 0; trial < 50; trial++)
        {
            int members = 1 + trial % 5;
            double[][] folds = [.. Enumerable.Range(0, members).Select(_ => Enumerable.Range(0, 3 + (int)(rng.NextDouble() * 20)).Select(_ => Math.Round(rng.NextDouble() * 4, 1)).ToArray())];
            double[] predictions = [.. Enumerable.Range(0, members).Select(_ => rng.NextNormal())];
            var scores = new ConformalScores(folds);
            int n = folds.Sum(f => f.Length);
            double coverage = 0.5 + 0.45 * rng.NextDouble();
            double[] plus = [.. folds.SelectMany((f, k) => f.Select(s => predictions[k] + s)).Order()];
            double[] minus = [.. folds.SelectMany((f, k) => f.Select(s => predictions[k] - s)).Order()];
            int upperRank = (int)Math.Ceiling(coverage * (n + 1) - 1e-9), lowerRank = (int)Math.Floor((1 - coverage) * (n + 1) + 1e-9);
            (double lower, double upper) = scores.Interval(predictions, coverage);
            if (upperRank > n)
            {
                Assert.True(double.IsInfinity(upper));
                continue;
            }
            Assert.Equal(plus[upperRank - 1], upper);
            Assert.Equal(minus[lowerRank - 1], lower);
            // A class is in the set when fewer than coverage·(n + 1) held-out scores are below its own.
            double[] classScores = [.. Enumerable.Range(0, members).Select(_ => rng.NextDouble() * 4)];
            long below = folds.Select((f, k) => (long)f.Count(s => s < classScores[k])).Sum();
            Assert.Equal(below < coverage * (n + 1), scores.Includes(classScores, coverage));
        }
    }

    [Fact]
    public void Cross_fitted_bounds_never_cross_from_a_coverage_of_one_half_and_lower_coverages_are_refused()
    {
        // Members that disagree by more than their folds' errors: at a low coverage the brute-force CV+ bounds cross (so the data
        // below is the case that matters), and from one half up they cannot.
        var rng = new Rng(5);
        int crossedBelowHalf = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            double[][] folds = [.. Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 4 + trial % 30).Select(_ => rng.NextDouble()).ToArray())];
            double[] predictions = [.. Enumerable.Range(0, 5).Select(_ => 10 * rng.NextNormal())];
            var scores = new ConformalScores(folds);
            int n = scores.Count;
            double[] plus = [.. folds.SelectMany((f, k) => f.Select(s => predictions[k] + s)).Order()];
            double[] minus = [.. folds.SelectMany((f, k) => f.Select(s => predictions[k] - s)).Order()];
            int lowRank = Math.Max(1, (int)Math.Ceiling(0.2 * (n + 1)));
            crossedBelowHalf += minus[n - lowRank] > plus[lowRank - 1] ? 1 : 0;
            foreach (double coverage in new[] { 0.5, 0.6, 0.8, 0.9 })
            {
                (double lower, double upper) = scores.Interval(predictions, coverage);
                Assert.True(lower <= upper, $"trial {trial}, coverage {coverage}: [{lower}, {upper}]");
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => scores.Interval(predictions, 0.2));
        }
        Assert.True(crossedBelowHalf > 100, $"{crossedBelowHalf}");
    }

    [Fact]
    public void Bad_scores_and_shapes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ConformalScores([]));
        Assert.Throws<ArgumentException>(() => new ConformalScores([[1.0, -1]]));
        Assert.Throws<ArgumentException>(() => new ConformalScores([[double.NaN]]));
        var scores = new ConformalScores([[1.0], [2.0]]);
        Assert.Throws<ArgumentException>(() => scores.Interval([0.0], 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => scores.Includes([0.0, 0.0], 1.0));
    }

    private static double Cauchy(Rng rng) => Math.Tan(Math.PI * (rng.NextDouble() - 0.5));
}
