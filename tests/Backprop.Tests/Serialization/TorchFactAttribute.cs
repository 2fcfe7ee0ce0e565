namespace Backprop.Tests.Serialization;

/// <summary>A fact that runs only where /usr/bin/python3 can import numpy and torch; skipped with the reason otherwise.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() => NumpyFactAttribute.Imports("numpy, torch"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PyTorch is not available.</summary>
    public TorchFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "/usr/bin/python3 with numpy and torch is not available.";
        }
    }
}
