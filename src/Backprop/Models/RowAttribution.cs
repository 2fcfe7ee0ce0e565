namespace Backprop.Models;

/// <summary>One row's attributions (<see cref="Attributions"/>): how much each original column moved the explained output from the baseline's.</summary>
/// <param name="Class">The class whose probability is explained (0 for a regressor).</param>
/// <param name="Value">The explained output for the row: the class's probability, or the predicted value.</param>
/// <param name="Baseline">The explained output for the baseline row.</param>
/// <param name="Columns">Per original column, in the model's column order, its attribution.</param>
/// <param name="Gap">Completeness: <c>Value − Baseline − Σ Columns</c>; near 0 for Integrated Gradients with enough steps.</param>
public sealed record RowAttribution(int Class, double Value, double Baseline, IReadOnlyList<double> Columns, double Gap);
