using System.Text.Json;
using System.Text.Json.Serialization;
using Backprop.Optimizers;

namespace Backprop.Estimators;

/// <summary>A <see cref="LearningRateSchedule"/> in JSON as its text form, <c>"cosine:5"</c>.</summary>
internal sealed class ScheduleJsonConverter : JsonConverter<LearningRateSchedule>
{
    public override LearningRateSchedule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("Expected a schedule as a string.");
        return LearningRateSchedule.TryParse(text, out LearningRateSchedule? schedule, out string? error) ? schedule : throw new JsonException($"Schedule: {error}.");
    }

    public override void Write(Utf8JsonWriter writer, LearningRateSchedule value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
