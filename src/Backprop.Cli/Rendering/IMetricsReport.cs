using System.Text.Json;

namespace Backprop.Cli.Rendering;

/// <summary>The metrics of a model on one data set, for people and for scripts.</summary>
internal interface IMetricsReport
{
    /// <summary>The rows measured.</summary>
    int Count { get; }

    /// <summary>The one-line summary, e.g. <c>Training Accuracy: 0.98</c> (the notebook's closing line) or <c>Training R²: 0.91</c>.</summary>
    string Headline(string part);

    /// <summary>Every metric, as aligned text under <paramref name="title"/>.</summary>
    void WriteText(TextWriter output, string title);

    /// <summary>Every metric, as properties of the JSON object being written.</summary>
    void WriteJson(Utf8JsonWriter writer);
}
