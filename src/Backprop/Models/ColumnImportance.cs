namespace Backprop.Models;

/// <summary>How much a model's main metric drops when one column's values are shuffled across the rows (<see cref="PermutationImportance"/>).</summary>
/// <param name="Column">The original column (a categorical column's one-hot inputs are shuffled together).</param>
/// <param name="Mean">The mean drop over the repeats: accuracy points for a classifier, R² for a regressor (0: the model does not use the column).</param>
/// <param name="Low">The lower end of the confidence interval of the mean (Student's t over the repeats).</param>
/// <param name="High">The upper end.</param>
/// <param name="Drops">The drop of each repeat.</param>
public sealed record ColumnImportance(string Column, double Mean, double Low, double High, IReadOnlyList<double> Drops);
