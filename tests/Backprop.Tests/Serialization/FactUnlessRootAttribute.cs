namespace Backprop.Tests.Serialization;

/// <summary>A fact skipped when the tests run as root, for whom permission bits do not stop writes.</summary>
public sealed class FactUnlessRootAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when running as root.</summary>
    public FactUnlessRootAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Skip = "Permission bits do not stop root (or Windows lacks them): a read-only folder cannot be simulated.";
        }
    }
}
