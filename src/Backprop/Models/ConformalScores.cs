namespace Backprop.Models;

/// <summary>
/// Nonconformity scores of the rows a run held out, for conformal prediction sets and intervals that hold the truth for at least
/// the share of new rows asked, whatever the data's distribution, as long as new rows are exchangeable with the training rows.
/// </summary>
/// <remarks>
/// <para>
/// A score is the absolute error of a prediction in the target's units (regression), or one minus the probability of the true
/// class (classification). With one fold (a validation split) the scores are the model's own on the validation rows, and a new
/// row is judged by the model: split conformal prediction (Vovk, Gammerman and Shafer 2005; Angelopoulos and Bates 2021, "A
/// Gentle Introduction to Conformal Prediction"). With one fold per member (cross-fitting) fold <c>k</c> holds the scores of the
/// rows member <c>k</c> held out, and a new row is judged by each member against the rows that member never saw: CV+ (Barber,
/// Candès, Ramdas and Tibshirani 2021, "Predictive inference with the jackknife+"; Romano, Sesia and Candès 2020 for classes),
/// which compares like with like where the ensemble's average would be judged against a single member's errors.
/// </para>
/// <para>
/// For coverage <c>1 − α</c> over <c>n</c> scores: a class is in the set when fewer than <c>(1 − α)(n + 1)</c> held-out rows
/// score below it; an interval runs from the <c>⌊α(n + 1)⌋</c>-th smallest of <c>ŷₖ₍ᵢ₎ − Rᵢ</c> to the <c>⌈(1 − α)(n + 1)⌉</c>-th
/// smallest of <c>ŷₖ₍ᵢ₎ + Rᵢ</c>, infinite where too few rows were held out for the coverage asked.
/// </para>
/// </remarks>
public sealed class ConformalScores
{
    private readonly double[][] _folds;

    /// <summary>Keeps the scores of each fold, sorted.</summary>
    /// <param name="folds">One list of scores (a validation split), or one per member (cross-fitting, fold <c>k</c> held out by member <c>k</c>).</param>
    /// <exception cref="ArgumentException">No fold, or a score that is negative, infinite or NaN.</exception>
    public ConformalScores(IReadOnlyList<IReadOnlyList<double>> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 0)
        {
            throw new ArgumentException("Expected at least one fold of scores. Received: none.", nameof(folds));
        }
        // Loops and Array.Sort, not LINQ over doubles: every calibrated run builds these, and LINQ over value types is compiled at
        // first use in every process (docs/performance.md, "Start-up"). Equal scores are equal values, so the sort's order among
        // them does not show.
        _folds = new double[folds.Count][];
        for (int k = 0; k < _folds.Length; k++)
        {
            IReadOnlyList<double> fold = folds[k];
            var sorted = new double[fold.Count];
            for (int i = 0; i < sorted.Length; i++)
            {
                double score = fold[i];
                if (!(score >= 0) || double.IsPositiveInfinity(score)) throw new ArgumentException($"Expected scores ≥ 0 and finite. Received: {score}.", nameof(folds));
                sorted[i] = score;
            }
            Array.Sort(sorted);
            _folds[k] = sorted;
            Count += sorted.Length;
        }
    }

    /// <summary>The scores of each fold, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Folds => _folds;

    /// <summary>All the scores.</summary>
    public int Count { get; }

    /// <summary>
    /// Whether a class is in the prediction set: <paramref name="scores"/> holds its score by each fold's predictor (one value
    /// for one fold; one per member for cross-fitting).
    /// </summary>
    /// <param name="scores">One minus the class's probability, by the predictor of each fold.</param>
    /// <param name="coverage">In <c>(0, 1)</c>, for example 0.9.</param>
    public bool Includes(ReadOnlySpan<double> scores, double coverage)
    {
        CheckShape(scores.Length, coverage);
        long below = 0;
        for (int k = 0; k < _folds.Length; k++) below += LowerBound(_folds[k], scores[k]);
        return below < coverage * (Count + 1);
    }

    /// <summary>The smallest coverage an interval is given for: one half (<see cref="Interval"/>).</summary>
    public const double MinimumIntervalCoverage = 0.5;

    /// <summary>The prediction interval, from each fold's predictor's value for the row (one value for one fold; one per member for cross-fitting).</summary>
    /// <remarks>
    /// Below a coverage of one half the CV+ bounds can cross (the <c>⌊α(n + 1)⌋</c>-th largest of <c>ŷₖ₍ᵢ₎ − Rᵢ</c> above the
    /// <c>⌈(1 − α)(n + 1)⌉</c>-th smallest of <c>ŷₖ₍ᵢ₎ + Rᵢ</c> when the members disagree by more than the small errors), and CV+
    /// promises only <c>1 − 2α</c>, nothing there; from one half up they cannot (each <c>ŷ + R</c> is at least its <c>ŷ − R</c>, so
    /// the order statistics of rank <c>n + 1 − r ≤ r</c> keep their order).
    /// </remarks>
    /// <param name="predictions">The row's prediction by the predictor of each fold, in the target's units.</param>
    /// <param name="coverage">In <c>[0.5, 1)</c>, for example 0.9.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coverage below one half, or not below 1.</exception>
    public (double Lower, double Upper) Interval(ReadOnlySpan<double> predictions, double coverage)
    {
        CheckShape(predictions.Length, coverage);
        if (coverage < MinimumIntervalCoverage)
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, $"Expected a coverage of at least {MinimumIntervalCoverage} for an interval.");
        }
        int rank = Rank(coverage);
        if (rank > Count)
        {
            return (double.NegativeInfinity, double.PositiveInfinity);
        }
        // The lower bound is the mirror of the upper: the rank-th largest of ŷ − R is minus the rank-th smallest of −ŷ + R.
        Span<double> negated = stackalloc double[predictions.Length];
        for (int k = 0; k < negated.Length; k++) negated[k] = -predictions[k];
        return (-Smallest(negated, rank), Smallest(predictions, rank));
    }

    // ⌈coverage·(n + 1)⌉, not rounded up past a product that is whole up to rounding ((n + 1)·0.9 for n = 9 is 9, not 9.000000000000002).
    private int Rank(double coverage)
    {
        double exact = coverage * (Count + 1);
        return (int)Math.Ceiling(exact - 1e-9 * exact);
    }

    // The rank-th smallest of { shift[k] + s : s in fold k }, by bisection on the value, then the element it converged on.
    private double Smallest(ReadOnlySpan<double> shift, int rank)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (int k = 0; k < _folds.Length; k++)
        {
            if (_folds[k].Length == 0) continue;
            low = Math.Min(low, shift[k] + _folds[k][0]);
            high = Math.Max(high, shift[k] + _folds[k][^1]);
        }
        // Invariant: CountAtMost(low) < rank ≤ CountAtMost(high).
        low = Math.BitDecrement(low);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double middle = low + (high - low) / 2;
            if (middle <= low || middle >= high) break;
            if (CountAtMost(shift, middle) >= rank) high = middle;
            else low = middle;
        }
        // The largest value ≤ high: the rank-th smallest.
        double answer = double.NegativeInfinity;
        for (int k = 0; k < _folds.Length; k++)
        {
            int count = CountAtMost(_folds[k], shift[k], high);
            if (count > 0) answer = Math.Max(answer, shift[k] + _folds[k][count - 1]);
        }
        return answer;
    }

    private long CountAtMost(ReadOnlySpan<double> shift, double value)
    {
        long count = 0;
        for (int k = 0; k < _folds.Length; k++) count += CountAtMost(_folds[k], shift[k], value);
        return count;
    }

    // The scores s with shift + s ≤ value, computed as that sum: rounding a sum is monotone in s, so the bisection above and the
    // element it lands on agree to the last bit (value − shift, rounded apart, could miss the element by one).
    private static int CountAtMost(double[] sorted, double shift, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (shift + sorted[middle] <= value) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    // Scores < value.
    private static int LowerBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    private void CheckShape(int values, double coverage)
    {
        if (values != _folds.Length)
        {
            throw new ArgumentException($"Expected one value per fold ({_folds.Length}). Received: {values}.");
        }
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Expected a coverage in (0, 1).");
        }
    }
}
