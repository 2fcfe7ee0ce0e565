using System.Text.Json.Serialization;

namespace Backprop.Preprocessing;

/// <summary>How one feature column becomes model inputs: part of <see cref="TabularPreprocessorState"/>.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Kind">Numeric, boolean, categorical or date.</param>
/// <param name="Mean">Numeric (and date, in days since 1970-01-01 UTC, as for the other numbers here): the training mean of the imputed column, subtracted (with robust scaling, its median).</param>
/// <param name="Scale">Numeric: the training population std of the imputed column (1 when constant), divided by (with robust scaling, its interquartile range).</param>
/// <param name="Fill">Numeric: the value that replaces a missing cell (mean or median, in the column's units). Boolean: 0 or 1.</param>
/// <param name="Categories">Categorical: the categories seen in training, ordinally sorted; one input each.</param>
/// <param name="FillCategory">Categorical: the category that replaces a missing cell (the most frequent in training).</param>
/// <param name="Edges">
/// Numeric, with a piecewise-linear encoding (<see cref="TabularOptions.PiecewiseLinearBins"/>): the bins' edges
/// <c>b₀ &lt; b₁ &lt; … &lt; b_T</c>, quantiles of the training values in the column's units; after the scaled value, the
/// column becomes one input per bin, <c>(x − bₜ) / (bₜ₊₁ − bₜ)</c> clipped to [0, 1] (the first bin's open below, the last's
/// above). <see langword="null"/> for none.
/// </param>
/// <param name="Calendar">
/// Date: the calendar inputs after the days and their bins (<see cref="CalendarPart"/>, <see cref="CalendarInputs"/>), in this
/// order; <see langword="null"/> for none.
/// </param>
/// <param name="Unit">
/// Numeric: the unit the training file wrote the column's numbers with, <c>%</c>, a currency symbol such as <c>$</c>, or a
/// unit word such as <c>kg</c> (<c>33.9%</c>, <c>$1,234.50</c>, <c>5 kg</c>: the number without it is the value), or
/// <see langword="null"/> for plain numbers. A file to predict whose numbers carry another unit is refused: euros are not
/// dollars, nor pounds kilograms.
/// </param>
/// <param name="Order">
/// Date: the order of day and month of dates written with the year last (<c>15/03/2024</c>, <c>3/15/2024</c>:
/// <see cref="DayMonthDates"/>), as the training file wrote them and a file to predict must; <see langword="null"/> for ISO 8601.
/// </param>
public sealed record FeatureColumnState(
    string Name,
    FeatureKind Kind,
    double Mean = 0,
    double Scale = 1,
    double Fill = 0,
    string[]? Categories = null,
    string? FillCategory = null,
    double[]? Edges = null,
    CalendarPart[]? Calendar = null,
    string? Unit = null,
    DateOrder? Order = null)
{
    /// <summary>Number of model inputs this column becomes.</summary>
    public int Width => Kind == FeatureKind.Categorical ? Categories?.Length ?? 0 : 1 + Bins + CalendarInputs.Width(Calendar);

    /// <summary>The piecewise-linear encoding's bins <c>T</c> (inputs after the scaled value), 0 without one.</summary>
    /// <remarks>Not saved: the edges say it.</remarks>
    [JsonIgnore]
    public int Bins => Edges is { Length: > 1 } edges ? edges.Length - 1 : 0;

    /// <summary>What <see cref="Unit"/> makes the numbers, for people: "percentages", "amounts in '$'", "numbers in 'kg'"; <see langword="null"/> without one.</summary>
    [JsonIgnore]
    public string? UnitDescription => Unit is null ? null : Data.NumberUnits.Describe(Unit);

    /// <summary>
    /// Input <c>1 + t</c> of a numeric value <paramref name="x"/> (imputed, in the column's units): its position in bin
    /// <paramref name="t"/>, 0 below it and 1 above, except that the first bin extends below and the last above.
    /// </summary>
    public double BinPosition(double x, int t)
    {
        double[] edges = Edges!;
        double position = (x - edges[t]) / (edges[t + 1] - edges[t]);
        if (t > 0) position = Math.Max(position, 0);
        if (t < edges.Length - 2) position = Math.Min(position, 1);
        return position;
    }
}
