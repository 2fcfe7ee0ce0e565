using Backprop.Preprocessing;

namespace Backprop.Serialization.Onnx;

/// <summary>One raw input column of an exported model: numeric, or categorical with its categories in encoding order.</summary>
/// <param name="Name">The column's name (for a categorical column, also the name of its graph input).</param>
/// <param name="Categories">
/// <see langword="null"/> for a numeric column; for a categorical one, the categories whose one-hot columns the model sees, in order.
/// </param>
/// <param name="MissingValue">
/// Numeric columns: the value a missing input (NaN) is replaced with before standardization, as the training preprocessing
/// imputed it; <see langword="null"/> leaves NaN in place (and in the outputs).
/// </param>
/// <param name="MissingCategory">
/// Categorical columns: the category (one of <see cref="Categories"/>) that a missing input is encoded as, as the training
/// preprocessing imputed it; a missing input is any spelling of a missing-value marker (<see cref="Data.MissingValues.Spellings"/>:
/// empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c>, <c>?</c>, any case). <see langword="null"/> encodes a missing input as
/// an unknown category (all zeros).
/// </param>
/// <param name="Copies">
/// Numeric columns: how many encoded columns repeat the (imputed) value, each then standardized by its own mean and scale and
/// clipped by its own bounds (<see cref="OnnxExportOptions.Lower"/>, <see cref="OnnxExportOptions.Upper"/>): 1, or 1 + T for
/// the scaled value and the T bins of a piecewise-linear encoding.
/// </param>
/// <param name="Date">
/// A column of dates (<see cref="FeatureKind.Date"/>): its own graph input, named after it, double[N, 1] of days since
/// 1970-01-01 UTC (NaN for missing, replaced by <see cref="MissingValue"/>), encoded in double precision as the preprocessing
/// encodes it (this state's mean, scale, bin edges and calendar inputs), then cast to float: in float32 a day near 2024 is
/// resolved to 3 minutes only, and its mean and bin edges as coarsely. Its encoded columns are not standardized again (their
/// <see cref="OnnxExportOptions.Mean"/> 0 and <see cref="OnnxExportOptions.Scale"/> 1); <see langword="null"/> for any other column.
/// </param>
public sealed record OnnxInputColumn(string Name, IReadOnlyList<string>? Categories = null, double? MissingValue = null, string? MissingCategory = null,
    int Copies = 1, FeatureColumnState? Date = null)
{
    /// <summary>Whether the column is categorical.</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>Number of model input columns it becomes: its copies, one per category, or a date's encoding.</summary>
    public int EncodedWidth => Date?.Width ?? Categories?.Count ?? Copies;
}
