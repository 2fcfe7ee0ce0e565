using Backprop.Data;

namespace Backprop.Preprocessing;

/// <summary>Which columns of a table are the target and the features, and how to treat them; for <see cref="TabularPreprocessor.Fit"/>.</summary>
/// <param name="Target">The target column's name; <see langword="null"/> (the default) means the last column.</param>
/// <param name="Features">The feature columns; <see langword="null"/> (the default) means every column but the target.</param>
/// <param name="Drop">Columns not to use as features (for example an identifier).</param>
/// <param name="Categorical">
/// Columns to one-hot encode even though they hold numbers (such as a numeric code); string columns are categorical anyway.
/// The table must be read with them as text: use <see cref="ReadOptions"/>.
/// </param>
/// <param name="Missing">What to do with missing feature cells (default: mean, or most frequent for non-numeric columns).</param>
/// <param name="Task">
/// Classification or regression; <see langword="null"/> (the default) infers it: a string or boolean target is classes,
/// a numeric target is classes when its values look like labels: integers with at most <see cref="MaxClassesForNumericTarget"/>
/// distinct values, each seen twice on average, over a range at most twice as wide as their number (0/1, 1 to 7; not counts
/// from 1 to 355, nor one row per value).
/// </param>
/// <param name="MaxClassesForNumericTarget">See <see cref="Task"/> (default 20).</param>
/// <param name="MinRowsForIdentifier">
/// A column that identifies rows rather than describes them is dropped with a note, once it has at least this many values
/// (default 10; below that, distinct values prove little): a string column whose values are all or mostly distinct (a name, a
/// key), and an integer column that numbers the rows or is named like an id (the rules: <c>IdentifierColumns</c>).
/// Columns listed in <see cref="Features"/>, <see cref="Categorical"/> or <see cref="Keep"/> are never dropped. A class
/// target with as many classes as it has rows, at least this many, is an error (a date or a name taken for the target);
/// from this many training rows on, a column with the same value in every row is dropped with a note too (unless named).
/// </param>
/// <param name="MaxClasses">
/// Resource bound: a class target with more distinct values would need that many outputs (a million labels: a network of
/// a million outputs, and an epoch that never ends); it is an error that asks whether the target is a number to predict or
/// the wrong column. Default 1,000.
/// </param>
/// <param name="Keep">
/// Columns never dropped automatically (as identifiers, see <see cref="MinRowsForIdentifier"/>): used as features as read.
/// </param>
/// <param name="Scaling">How numeric columns become inputs: standardized (default) or robustly scaled and smoothly clipped.</param>
/// <param name="PiecewiseLinearBins">
/// Also encode each numeric column piecewise-linearly in this many quantile bins (Gorishniy, Rubachev and Babenko 2022, "On
/// Embeddings for Numerical Features in Tabular Deep Learning"): one more input per bin, which lets the first layer bend
/// its response at the bins' edges, as a tree splits (<see cref="FeatureColumnState.Edges"/>). A column keeps only
/// distinct edges, and gets no encoding with fewer than <see cref="MinPiecewiseLinearBins"/> of them. 0 (the default) for none.
/// </param>
/// <param name="DateOrder">
/// The order of day and month in dates written with the year last (<c>03/04/2024</c>); <see langword="null"/> (the default)
/// lets each column's values tell it (<see cref="DayMonthDates.Infer"/>), which they cannot when no day is above 12 and the
/// dates are not all on the 1st of a month. Given, every such column is read in this order, and a value that only the other
/// order reads (<c>15/03/2024</c> with <see cref="Preprocessing.DateOrder.MonthFirst"/>) is an error. ISO 8601 dates need neither.
/// </param>
/// <param name="MaxCategories">
/// Resource bound: a categorical column with more distinct values would become that many inputs per row; it is dropped with
/// a note (or, when named in <see cref="Features"/> or <see cref="Categorical"/>, is an error). Default 1,000.
/// </param>
public sealed record TabularOptions(
    string? Target = null,
    IReadOnlyList<string>? Features = null,
    IReadOnlyList<string>? Drop = null,
    IReadOnlyList<string>? Categorical = null,
    MissingValueStrategy Missing = MissingValueStrategy.Mean,
    TaskKind? Task = null,
    int MaxClassesForNumericTarget = 20,
    int MinRowsForIdentifier = 10,
    int MaxCategories = 1_000,
    int MaxClasses = 1_000,
    IReadOnlyList<string>? Keep = null,
    NumericScaling Scaling = NumericScaling.Standard,
    int PiecewiseLinearBins = 0,
    DateOrder? DateOrder = null)
{
    /// <summary>The fewest bins a piecewise-linear encoding has: a column whose training values make fewer distinct quantiles is left as one input.</summary>
    public const int MinPiecewiseLinearBins = 3;

    /// <summary>The most bins <see cref="PiecewiseLinearBins"/> asks for.</summary>
    public const int MaxPiecewiseLinearBins = 256;

    /// <summary>Options to read a training file with: the <see cref="Categorical"/> columns as text.</summary>
    public CsvReadOptions ReadOptions(char? delimiter = null) => new(delimiter, Categorical);
}
