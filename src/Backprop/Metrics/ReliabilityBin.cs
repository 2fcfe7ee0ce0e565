namespace Backprop.Metrics;

/// <summary>One bin of a reliability diagram: the predictions whose confidence fell in <c>[Low, High)</c>.</summary>
/// <param name="Low">The bin's lowest confidence.</param>
/// <param name="High">The bin's highest confidence (the last bin includes 1).</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Confidence">Their mean confidence (the predicted class's probability); NaN for an empty bin.</param>
/// <param name="Accuracy">The fraction of them that were right; NaN for an empty bin.</param>
public sealed record ReliabilityBin(double Low, double High, int Count, double Confidence, double Accuracy);
