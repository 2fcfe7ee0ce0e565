using System.Text.Json;
using System.Text.Json.Serialization;
using Backprop.Data;

namespace Backprop.Estimators;

/// <summary>
/// A CSV delimiter in JSON as on the command line: the character itself (<c>","</c>, <c>"\t"</c>), or <c>"space"</c> and
/// <c>"whitespace"</c> for the two that a file would otherwise show as a blank and a NUL.
/// </summary>
/// <remarks>Other characters are written as before these two existed, so a file trained with them keeps its bytes.</remarks>
internal sealed class DelimiterJsonConverter : JsonConverter<char>
{
    /// <summary>How <paramref name="delimiter"/> is spelled in the file and in messages.</summary>
    public static string Name(char delimiter) => delimiter switch
    {
        ' ' => "space",
        CsvReadOptions.Whitespace => "whitespace",
        _ => delimiter.ToString(),
    };

    public override char Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text switch
        {
            "space" => ' ',
            "whitespace" => CsvReadOptions.Whitespace,
            "tab" => '\t',
            { Length: 1 } => text[0],
            _ => throw new JsonException($"Expected a delimiter: one character, space or whitespace. Received: {(text is null ? reader.TokenType.ToString() : $"'{text}'")}."),
        };
    }

    public override void Write(Utf8JsonWriter writer, char value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));
}
