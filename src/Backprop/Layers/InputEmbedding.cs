namespace Backprop.Layers;

/// <summary>How each input enters the first dense layer.</summary>
public enum InputEmbedding
{
    /// <summary>As it is.</summary>
    None,

    /// <summary>Beside a learned periodic embedding of it (<see cref="PeriodicEmbedding{T}"/>).</summary>
    Periodic,
}
