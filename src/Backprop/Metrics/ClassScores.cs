namespace Backprop.Metrics;

/// <summary>How well one class is recognized.</summary>
/// <param name="Precision">Of the samples predicted as the class, the fraction that belong to it.</param>
/// <param name="Recall">Of the samples of the class, the fraction predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Number of samples of the class.</param>
public sealed record ClassScores(double Precision, double Recall, double F1, int Support);
