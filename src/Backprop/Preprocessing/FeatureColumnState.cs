namespace Backprop.Preprocessing;

/// <summary>How one feature column becomes model inputs: part of <see cref="TabularPreprocessorState"/>.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Kind">Numeric, boolean or categorical.</param>
/// <param name="Mean">Numeric: the training mean of the imputed column, subtracted (with robust scaling, its median).</param>
/// <param name="Scale">Numeric: the training population std of the imputed column (1 when constant), divided by (with robust scaling, its interquartile range).</param>
/// <param name="Fill">Numeric: the value that replaces a missing cell (mean or median, in the column's units). Boolean: 0 or 1.</param>
/// <param name="Categories">Categorical: the categories seen in training, ordinally sorted; one input each.</param>
/// <param name="FillCategory">Categorical: the category that replaces a missing cell (the most frequent in training).</param>
public sealed record FeatureColumnState(
    string Name,
    FeatureKind Kind,
    double Mean = 0,
    double Scale = 1,
    double Fill = 0,
    string[]? Categories = null,
    string? FillCategory = null)
{
    /// <summary>Number of model inputs this column becomes.</summary>
    public int Width => Kind == FeatureKind.Categorical ? Categories?.Length ?? 0 : 1;
}
