using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backprop.Estimators;

/// <summary>A choice of <see cref="TabularTrainingOptions"/> in JSON by its <see cref="OptionNames"/> spelling, <c>"leaky-relu"</c>.</summary>
internal sealed class OptionNameJsonConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return OptionNames.TryParse(text, out TEnum value)
            ? value
            : throw new JsonException($"Expected one of {string.Join(", ", OptionNames.All<TEnum>())}. Received: {(text is null ? reader.TokenType.ToString() : $"'{text}'")}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(OptionNames.Name(value));
}
