namespace Backprop.Data;

/// <summary>Data that would not fit in memory as a table, found from its first rows (<see cref="CsvReadOptions.MaxMemory"/>).</summary>
/// <remarks>Internal: a training run that chose to read the table whole streams it instead (<c>TabularTrainingOptions.Stream</c>).</remarks>
internal sealed class TooLargeForMemoryException(string message, string reason) : BackpropException(message)
{
    /// <summary>Why, for a note: <c>it would take about 9.8 GB as a table (from its first 4,096 rows), more than the 6 GB available for it</c>.</summary>
    public string Reason { get; } = reason;
}
