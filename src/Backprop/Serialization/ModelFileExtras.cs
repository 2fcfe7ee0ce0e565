namespace Backprop.Serialization;

/// <summary>What a caller adds to a model file beside the layers: metadata entries and extra named tensors.</summary>
/// <remarks>
/// Typical metadata: <c>preprocessing</c> (JSON), <c>classes</c> (JSON array of labels), <c>training</c> (options as JSON),
/// <c>history</c> (summary as JSON); <see cref="ResumeState"/> adds the optimizer step count and the generator state.
/// Typical tensors: <c>optimizer.state</c>. Keys reserved by <see cref="ModelFile"/> and tensor names starting with
/// <c>layers.</c> are refused at save.
/// </remarks>
public sealed class ModelFileExtras
{
    /// <summary>Metadata entries, string to string (JSON goes in as text).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra tensors, written after the layers' in this order.</summary>
    public List<SafeTensor> Tensors { get; } = [];
}
