namespace Backprop.Tests;

/// <summary>Base of test classes that write files: each test gets a fresh <see cref="Files"/> directory, deleted afterwards.</summary>
public abstract class TempFileTest : IDisposable
{
    protected TempFiles Files { get; } = new();

    public void Dispose()
    {
        Files.Dispose();
        GC.SuppressFinalize(this);
    }
}
