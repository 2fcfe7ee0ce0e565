namespace Backprop.Estimators;

/// <summary>Something a <see cref="TabularTrainer{T}"/> decided or noticed that its user should know, told before training starts.</summary>
/// <param name="IsWarning">A warning (for example categories the training rows did not have) rather than a note (a dropped column, an imputation).</param>
/// <param name="Text">One line, such as <c>dropped column 'id': identifier-like (all 60 values distinct)</c>.</param>
public sealed record TrainingNote(bool IsWarning, string Text);
