namespace Backprop.Preprocessing;

/// <summary>How the target column becomes the training target: part of <see cref="TabularPreprocessorState"/>.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Task">Classification (class index) or regression (the value).</param>
/// <param name="Numeric">Whether the column held numbers in training (numeric class labels are compared by value).</param>
/// <param name="Classes">Classification: the class labels, index by index (sorted; see <see cref="LabelEncoder"/>).</param>
public sealed record TargetColumnState(string Name, TaskKind Task, bool Numeric, string[]? Classes = null);
