namespace Backprop.Serialization;

/// <summary>Bounds a safetensors reader enforces before it allocates anything, so a hostile file cannot exhaust memory.</summary>
/// <remarks>
/// Whatever the limits, nothing larger than the file itself is ever allocated: the header length and every tensor's byte range
/// are checked against the file length first.
/// </remarks>
/// <param name="MaxHeaderBytes">Largest JSON header accepted; default 100 MB, the bound of the reference implementation.</param>
/// <param name="MaxTensors">Largest number of tensors; default 100,000.</param>
/// <param name="MaxRank">Most dimensions a tensor may have; default 8.</param>
/// <param name="MaxJsonDepth">Deepest JSON nesting accepted; the format needs 3 (object, tensor, shape), default 8.</param>
/// <param name="MaxMetadataEntries">Largest number of <c>__metadata__</c> entries; default 10,000.</param>
public sealed record SafeTensorsLimits(
    long MaxHeaderBytes = 100_000_000,
    int MaxTensors = 100_000,
    int MaxRank = 8,
    int MaxJsonDepth = 8,
    int MaxMetadataEntries = 10_000)
{
    /// <summary>The defaults.</summary>
    public static SafeTensorsLimits Default { get; } = new();
}
