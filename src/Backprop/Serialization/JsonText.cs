using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backprop.Serialization;

/// <summary>How Backprop writes JSON into files: compact, with quotes as <c>\"</c> and non-ASCII text as UTF-8 rather than <c>\uXXXX</c>.</summary>
/// <remarks>
/// The default encoder escapes for HTML (<c>"</c> becomes <c>\u0022</c>), which makes a model file's header hard to read. The text
/// never goes into HTML, so the relaxed encoder is right; control characters are still escaped and the output is valid JSON.
/// </remarks>
internal static class JsonText
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
