using System.Text.Json.Serialization;

namespace Backprop.Preprocessing;

/// <summary>
/// Compile-time generated System.Text.Json (de)serialization of <see cref="TabularPreprocessorState"/>: no reflection, so the
/// library stays trimmable and AOT-compatible. Property names are snake_case, enums are strings.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(TabularPreprocessorState))]
internal sealed partial class PreprocessingJsonContext : JsonSerializerContext;
