namespace Backprop.Tests.Cli.Rendering;

/// <summary>A fact that runs only where Chromium (Debian's <c>chromium</c>) is installed; skipped with the reason otherwise.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no Chromium is installed.</summary>
    public ChromiumFactAttribute()
    {
        if (Found.Value is null)
        {
            Skip = "Chromium is not installed (apt-get install chromium): the report is not rendered in a browser.";
        }
    }

    /// <summary>The browser's executable.</summary>
    public static string Executable => Found.Value ?? throw new InvalidOperationException("Chromium is not installed.");
}
