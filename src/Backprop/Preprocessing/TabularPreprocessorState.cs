using System.Text.Json;

namespace Backprop.Preprocessing;

/// <summary>Everything a fitted <see cref="TabularPreprocessor"/> knows, as plain data to save with a model.</summary>
/// <param name="Version">
/// Format version: 1; 2 when a column has bin edges (<see cref="FeatureColumnState.Edges"/>), so that a Backprop from before them
/// refuses the state as newer rather than reading it without its bins; 3 when a column holds dates
/// (<see cref="FeatureKind.Date"/>), which a Backprop from before them could not read; <see cref="CurrentVersion"/> 4 when
/// dates are written with the year last (<see cref="FeatureColumnState.Order"/>); <see cref="CurrentVersion"/> 5 when numbers
/// are written with a unit word (<see cref="FeatureColumnState.Unit"/> <c>kg</c>), which a Backprop that read only symbol units refused.
/// </param>
/// <param name="Missing">What to do with missing feature cells.</param>
/// <param name="Features">The feature columns, in input order.</param>
/// <param name="Target">The target column.</param>
/// <param name="Scaling">
/// How numeric columns become inputs: <c>(x − mean) / scale</c> (standard), or with <see cref="NumericScaling.Robust"/> then smoothly
/// clipped, <c>mean</c> then holding the median and <c>scale</c> the interquartile range. Absent in files of earlier versions: standard.
/// </param>
public sealed record TabularPreprocessorState(
    int Version,
    MissingValueStrategy Missing,
    FeatureColumnState[] Features,
    TargetColumnState Target,
    NumericScaling Scaling = NumericScaling.Standard)
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int CurrentVersion = 5;

    /// <summary>The version a state with these features is written as: the first that can hold them.</summary>
    public static int VersionFor(IEnumerable<FeatureColumnState> features)
    {
        int version = 1;
        foreach (FeatureColumnState feature in features)
        {
            if (feature.Unit is { } unit && Data.NumberUnits.IsWord(unit)) version = Math.Max(version, 5);
            if (feature.Order is not null) version = Math.Max(version, 4);
            if (feature.Kind == FeatureKind.Date) version = Math.Max(version, 3);
            if (feature.Edges is not null) version = Math.Max(version, 2);
        }
        return version;
    }

    /// <summary>The state as one line of JSON (snake_case keys, enums as strings).</summary>
    public string ToJson()
    {
        // Written by hand, key for key what the generated serializer writes (GeneratedJson; a test holds the two equal): every
        // saved model writes it, and the serializer's metadata is generic code for the JIT to compile at first use, a good
        // part of a small file's run. Reading keeps the generated reader.
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteString("missing", Missing.ToString());
            w.WriteStartArray("features");
            foreach (FeatureColumnState feature in Features)
            {
                w.WriteStartObject();
                w.WriteString("name", feature.Name);
                w.WriteString("kind", feature.Kind.ToString());
                w.WriteNumber("mean", feature.Mean);
                w.WriteNumber("scale", feature.Scale);
                w.WriteNumber("fill", feature.Fill);
                WriteStrings(w, "categories", feature.Categories);
                if (feature.FillCategory is { } fill) w.WriteString("fill_category", fill);
                if (feature.Edges is { } edges)
                {
                    w.WriteStartArray("edges");
                    foreach (double edge in edges) w.WriteNumberValue(edge);
                    w.WriteEndArray();
                }
                if (feature.Calendar is { } calendar)
                {
                    w.WriteStartArray("calendar");
                    foreach (CalendarPart part in calendar) w.WriteStringValue(part.ToString());
                    w.WriteEndArray();
                }
                if (feature.Unit is { } unit) w.WriteString("unit", unit);
                if (feature.Order is { } order) w.WriteString("order", order.ToString());
                w.WriteNumber("width", feature.Width);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("target");
            w.WriteString("name", Target.Name);
            w.WriteString("task", Target.Task.ToString());
            w.WriteBoolean("numeric", Target.Numeric);
            WriteStrings(w, "classes", Target.Classes);
            if (Target.Unit is { } targetUnit) w.WriteString("unit", targetUnit);
            w.WriteEndObject();
            w.WriteString("scaling", Scaling.ToString());
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // A list, left out when null (the serializer's WhenWritingNull).
    private static void WriteStrings(Utf8JsonWriter w, string key, string[]? values)
    {
        if (values is null) return;
        w.WriteStartArray(key);
        foreach (string value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>The state as the generated serializer writes it: what <see cref="ToJson"/> must equal.</summary>
    internal string GeneratedJson() => JsonSerializer.Serialize(this, PreprocessingJsonContext.Default.TabularPreprocessorState);

    /// <summary>Reads a state written by <see cref="ToJson"/>, and checks it.</summary>
    /// <exception cref="BackpropException">The JSON is malformed, incomplete, inconsistent, or from a newer version.</exception>
    public static TabularPreprocessorState FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        TabularPreprocessorState? state;
        try
        {
            state = JsonSerializer.Deserialize(json, PreprocessingJsonContext.Default.TabularPreprocessorState);
        }
        catch (JsonException e)
        {
            throw new BackpropException($"Expected the preprocessing state as JSON. Received: malformed JSON ({e.Message}).", e);
        }
        if (state is null)
        {
            throw new BackpropException("Expected the preprocessing state as a JSON object. Received: null.");
        }
        state.Validate();
        return state;
    }

    /// <summary>Checks that the state is complete and consistent (as one read from a file might not be).</summary>
    /// <exception cref="BackpropException">It is not; the message names the first problem.</exception>
    public void Validate()
    {
        if (Version < 1 || Version > CurrentVersion)
        {
            throw Invalid($"version between 1 and {CurrentVersion}", $"version {Version}" + (Version > CurrentVersion ? " (written by a newer Backprop)" : ""));
        }
        if (!Enum.IsDefined(Missing)) throw Invalid("a missing-value strategy", $"{(int)Missing}");
        if (!Enum.IsDefined(Scaling)) throw Invalid("a numeric scaling (standard or robust)", $"{(int)Scaling}");
        if (Features is null || Features.Length == 0) throw Invalid("at least one feature column", "none");
        if (Version < VersionFor(Features.Where(f => f is not null)))
        {
            throw Invalid(Features.Any(f => f?.Unit is { } unit && Data.NumberUnits.IsWord(unit)) ? "version 5 or later for a unit word"
                : Features.Any(f => f?.Order is not null) ? "version 4 or later for dates with the year last"
                : Features.Any(f => f?.Kind == FeatureKind.Date) ? "version 3 or later for a date column" : "version 2 or later for bin edges", $"version {Version}");
        }
        if (Target is null || string.IsNullOrEmpty(Target.Name)) throw Invalid("a target column name", "none");
        if (Target.Unit is { } targetUnit && (!Target.Numeric || !Data.NumberUnits.IsValid(targetUnit)))
        {
            throw Invalid("a unit ('%', a currency symbol or a unit word) only for a numeric target", $"'{targetUnit}'");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (FeatureColumnState feature in Features)
        {
            if (feature is null || string.IsNullOrEmpty(feature.Name)) throw Invalid("a name for every feature column", "an empty one");
            if (!names.Add(feature.Name)) throw Invalid("distinct feature names", $"'{feature.Name}' twice");
            string where = $"feature '{feature.Name}'";
            if (feature.Order is { } order && (feature.Kind != FeatureKind.Date || !Enum.IsDefined(order)))
            {
                throw Invalid($"an order of day and month only for a date column, for {where}", order.ToString());
            }
            if (feature.Unit is { } unit && (feature.Kind != FeatureKind.Numeric || !Data.NumberUnits.IsValid(unit)))
            {
                throw Invalid($"a unit ('%', a currency symbol or a unit word) only for a numeric column, for {where}", $"'{unit}'");
            }
            switch (feature.Kind)
            {
                case FeatureKind.Numeric:
                case FeatureKind.Date:
                    if (feature.Calendar is { } calendar && (feature.Kind != FeatureKind.Date || calendar.Length == 0
                        || !DefinedAndIncreasing(calendar)))
                    {
                        throw Invalid($"calendar parts only for a date column, each once, in order (weekday, year, day), for {where}", string.Join(", ", calendar));
                    }
                    if (!double.IsFinite(feature.Mean) || !double.IsFinite(feature.Fill) || !(feature.Scale > 0) || !double.IsFinite(feature.Scale))
                    {
                        throw Invalid($"a finite mean and fill and a positive scale for {where}", $"mean {feature.Mean}, scale {feature.Scale}, fill {feature.Fill}");
                    }
                    if (feature.Edges is { } edges && (edges.Length - 1 < TabularOptions.MinPiecewiseLinearBins || edges.Length - 1 > TabularOptions.MaxPiecewiseLinearBins
                        || !FiniteAndIncreasing(edges)))
                    {
                        throw Invalid($"from {TabularOptions.MinPiecewiseLinearBins + 1} to {TabularOptions.MaxPiecewiseLinearBins + 1} finite, increasing bin edges for {where}",
                            string.Join(", ", edges.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                    }
                    break;
                case FeatureKind.Boolean:
                    if (feature.Fill is not (0 or 1)) throw Invalid($"a fill of 0 or 1 for {where}", $"{feature.Fill}");
                    if (feature.Edges is not null) throw Invalid($"no bin edges for {where}, a boolean column", "edges");
                    break;
                case FeatureKind.Categorical:
                    if (feature.Categories is null || feature.Categories.Length == 0) throw Invalid($"categories for {where}", "none");
                    if (Array.Exists(feature.Categories, c => c is null)) throw Invalid($"no null category for {where}", "null");
                    if (feature.Categories.Distinct(StringComparer.Ordinal).Count() != feature.Categories.Length) throw Invalid($"distinct categories for {where}", "a repeated one");
                    if (feature.Edges is not null) throw Invalid($"no bin edges for {where}, a categorical column", "edges");
                    if (feature.FillCategory is null || !feature.Categories.Contains(feature.FillCategory, StringComparer.Ordinal))
                    {
                        throw Invalid($"a fill category among the categories of {where}", $"'{feature.FillCategory}'");
                    }
                    break;
                default:
                    throw Invalid($"a feature kind for {where}", $"{(int)feature.Kind}");
            }
        }
        if (Target.Task == TaskKind.Classification)
        {
            if (Target.Classes is null || Target.Classes.Length < 2 || Array.Exists(Target.Classes, c => c is null)
                || Target.Classes.Distinct(StringComparer.Ordinal).Count() != Target.Classes.Length)
            {
                throw Invalid("at least 2 distinct classes for the target", Target.Classes is null ? "none" : string.Join(", ", Target.Classes));
            }
        }
        else if (Target.Task != TaskKind.Regression)
        {
            throw Invalid("a task (classification or regression)", $"{(int)Target.Task}");
        }
    }

    // Loops, not LINQ over the parts and edges: every run validates its state, and LINQ over value types is compiled at first use
    // (docs/performance.md, "Start-up").
    private static bool DefinedAndIncreasing(CalendarPart[] parts)
    {
        for (int i = 0; i < parts.Length; i++)
        {
            if (!Enum.IsDefined(parts[i]) || (i > 0 && parts[i] <= parts[i - 1])) return false;
        }
        return true;
    }

    private static bool FiniteAndIncreasing(double[] edges)
    {
        for (int i = 0; i < edges.Length; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) return false;
        }
        return true;
    }

    private static BackpropException Invalid(string expected, string received) =>
        new($"Expected a valid preprocessing state: {expected}. Received: {received}.");
}
