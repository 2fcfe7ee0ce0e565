namespace Backprop.Models;

/// <summary>
/// How a model's prediction moves with one column (<see cref="PartialDependence"/>): at each grid point, every row's prediction
/// with the column set to that value (the individual curves), and their mean (the partial dependence).
/// </summary>
/// <param name="Column">The original column.</param>
/// <param name="Numeric">Whether the grid is numbers (<see cref="Values"/>) or categories (<see cref="Categories"/>).</param>
/// <param name="Values">A numeric column's grid, in the column's own units; empty for a categorical one.</param>
/// <param name="Categories">A categorical (or true/false) column's grid; empty for a numeric one.</param>
/// <param name="Explained">What the curves are: a class's probability (<c>P(class)</c>) or the predicted value.</param>
/// <param name="Average">The partial dependence: the mean prediction over the rows at each grid point.</param>
/// <param name="Individual">The individual conditional expectation curves of a sample of rows, each over the grid.</param>
public sealed record DependenceCurve(
    string Column,
    bool Numeric,
    IReadOnlyList<double> Values,
    IReadOnlyList<string> Categories,
    string Explained,
    IReadOnlyList<double> Average,
    IReadOnlyList<IReadOnlyList<double>> Individual)
{
    /// <summary>Whether <see cref="Values"/> are dates, as days since 1970-01-01 UTC (<see cref="Preprocessing.FeatureKind.Date"/>).</summary>
    public bool Dates { get; init; }
}
