namespace Backprop.Preprocessing;

/// <summary>How the target column becomes the training target: part of <see cref="TabularPreprocessorState"/>.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Task">Classification (class index) or regression (the value).</param>
/// <param name="Numeric">Whether the column held numbers in training (numeric class labels are compared by value).</param>
/// <param name="Classes">Classification: the class labels, index by index (sorted; see <see cref="LabelEncoder"/>).</param>
/// <param name="Unit">
/// Numeric: the unit the training file wrote the target with (<c>$</c>, <c>%</c>, <c>kg</c>, as <see cref="FeatureColumnState.Unit"/>),
/// or <see langword="null"/> for plain numbers. The predictions are numbers in it; a file to evaluate on whose target is
/// written in another is refused.
/// </param>
public sealed record TargetColumnState(string Name, TaskKind Task, bool Numeric, string[]? Classes = null, string? Unit = null)
{
    /// <summary>What <see cref="Unit"/> makes the numbers, for people: "amounts in '$'", "numbers in 'kg'"; <see langword="null"/> without one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? UnitDescription => Unit is null ? null : Data.NumberUnits.Describe(Unit);
}
