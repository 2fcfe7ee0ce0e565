using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;
using Xunit.Abstractions;
using Backprop.Layers;

namespace Backprop.Tests.Serialization;

/// <summary>
/// Deterministic, seeded mutation fuzzing of the model-file reader: every input must load or fail with a
/// <see cref="BackpropException"/>, never another exception, and allocate no more than a bound derived from its size.
/// </summary>
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    // Fixed cost of parsing plus a generous multiple of the input: JsonDocument keeps a few bytes of metadata per header byte.
    private const long AllocationBase = 256 * 1024;
    private const long AllocationPerByte = 64;

    private static int Scale => Fuzzing.Scale;

    private static byte[] ValidFile()
    {
        var extras = new ModelFileExtras();
        extras.Metadata["classes"] = "[\"a\",\"b\"]";
        extras.Tensors.Add(SafeTensor.Create<float>("optimizer.state", new float[2 * 26], 2, 26));
        return ModelFile.ToBytes(ModelFileTests.Mlp<float>(3, 3, 4, 2), extras);
    }

    private sealed class Outcomes
    {
        public int Loaded, Refused;
        public long MaxAllocated, MaxAllocatedInputLength;
        public readonly HashSet<string> Messages = [];
    }

    /// <summary>
    /// Loads <paramref name="file"/> (as a tabular model that predicts on <see cref="TabularCsv"/> when <paramref name="tabular"/>);
    /// fails the test on anything but success or a one-line <see cref="BackpropException"/>.
    /// </summary>
    private static void Check(byte[] file, string mutation, Outcomes outcomes, bool tabular = false)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Load(file, tabular);
            outcomes.Loaded++;
        }
        catch (BackpropException ex)
        {
            outcomes.Refused++;
            Assert.False(ex.Message.Contains('\n'), $"{mutation}: multi-line message {ex.Message}");
            Assert.Contains("fuzz.safetensors", ex.Message);
            outcomes.Messages.Add(ex.Message.Length > 80 ? ex.Message[..80] : ex.Message);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{mutation}: {ex.GetType().Name}: {ex.Message}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > outcomes.MaxAllocated)
        {
            outcomes.MaxAllocated = allocated;
            outcomes.MaxAllocatedInputLength = file.Length;
        }
        Assert.True(allocated <= AllocationBase + AllocationPerByte * file.Length, $"{mutation}: allocated {allocated:N0} bytes for a {file.Length}-byte input");
    }

    /// <summary>Reads the file as a model (and, when <paramref name="tabular"/>, as a tabular model) and predicts with it.</summary>
    private static void Load(byte[] file, bool tabular)
    {
        SafeTensorsDocument document = SafeTensors.Parse(file, "fuzz.safetensors");
        SavedModel<float> saved = ModelFile.FromDocument<float>(document, "fuzz.safetensors");
        saved.Model.Predict(new Matrix<float>(1, saved.Model.InputFeatures));
        if (tabular)
        {
            TabularModel<float> model = TabularModel<float>.FromSaved(saved, "fuzz.safetensors").Model;
            Table table = Table.Read(() => new MemoryStream(TabularCsv), "fuzz.safetensors (data)", model.Preprocessor.ReadOptions());
            if (model.Output == OutputKind.Identity) model.PredictValues(table, new List<string>());
            else model.PredictProbabilities(table, new List<string>());
        }
    }

    /// <summary>
    /// Loads a valid file once before anything is measured: the first load in a process also pays what is initialized once
    /// per process (the readers' caches and tables), which is not a cost of the input. Run alone, without this, the tabular
    /// test's first file allocated 381,448 bytes against its bound of 349,696 and failed; after another test, it passed.
    /// </summary>
    private static void WarmUp(byte[] valid, bool tabular) => Load(valid, tabular);

    private static (string Header, byte[] Data) Split(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    [Fact]
    public void Every_mutation_loads_or_fails_with_a_BackpropException()
    {
        var stopwatch = Stopwatch.StartNew();
        byte[] valid = ValidFile();
        (string header, byte[] data) = Split(valid);
        var outcomes = new Outcomes();
        // Fixed seed in dotnet test; a longer run draws a fresh one (printed, and the failing mutation is named, to reproduce).
        ulong seed = Fuzzing.Seed(2024UL);
        var rng = new Rng(seed);
        output.WriteLine($"seed {seed}, scale {Scale}");
        WarmUp(valid, tabular: false);
        Check(valid, "original", outcomes);
        Assert.Equal(1, outcomes.Loaded);

        // Truncation at every length.
        for (int length = 0; length < valid.Length; length++)
        {
            Check(valid[..length], $"truncated to {length}", outcomes);
        }
        // Random bit flips (1 to 4 bits) anywhere.
        for (int i = 0; i < 6000 * Scale; i++)
        {
            byte[] file = (byte[])valid.Clone();
            int flips = 1 + rng.NextInt(4);
            for (int f = 0; f < flips; f++) file[rng.NextInt(file.Length)] ^= (byte)(1 << rng.NextInt(8));
            Check(file, $"bit flip #{i}", outcomes);
        }
        // Huge or wrong header lengths.
        foreach (ulong length in new ulong[] { 0, 1, 7, (ulong)valid.Length, (ulong)valid.Length - 8, (ulong)valid.Length - 7, 100_000_001, uint.MaxValue, long.MaxValue, ulong.MaxValue })
        {
            byte[] file = (byte[])valid.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(file, length);
            Check(file, $"header length {length}", outcomes);
        }
        // Header edits, re-framed with a correct length so they reach the JSON and layout checks.
        string[] replacements =
        [
            "\"F64\"", "\"I64\"", "\"F16\"", "\"f32\"", "\"BF16\"", "null", "-1", "1e308", "99999999999999999999", "2147483648", "4294967296",
            "[]", "[0]", "{}", "\"\"", "\"layers.0.weight\"", "\"layers.0.bias\"", "\"__metadata__\"", "0", "1", "9223372036854775807",
        ];
        for (int i = 0; i < 6000 * Scale; i++)
        {
            string mutated = MutateHeader(header, rng, replacements);
            Check(SafeTensorsTests.Assemble(mutated, data), $"header edit #{i}: {mutated}", outcomes);
        }
        // Duplicate and missing tensors.
        int firstTensor = header.IndexOf("\"layers.0.weight\"", StringComparison.Ordinal);
        int end = header.IndexOf('}', firstTensor) + 1;
        string entry = header[firstTensor..end];
        Check(SafeTensorsTests.Assemble(header.Insert(end, "," + entry), data), "duplicate tensor", outcomes);
        Check(SafeTensorsTests.Assemble(header.Remove(firstTensor, end - firstTensor + 1), data), "missing tensor", outcomes);
        // Non-UTF-8 bytes in the header.
        for (int i = 0; i < 200 * Scale; i++)
        {
            byte[] headerBytes = Encoding.UTF8.GetBytes(header);
            headerBytes[rng.NextInt(headerBytes.Length)] = (byte)(0x80 + rng.NextInt(128));
            Check(SafeTensorsTests.Assemble(headerBytes, data), $"non-UTF-8 #{i}", outcomes);
        }
        // Deep nesting, in the metadata and as the whole header.
        foreach (int depth in new[] { 5, 9, 64, 1000, 100_000 })
        {
            string nested = new string('[', depth) + new string(']', depth);
            Check(SafeTensorsTests.Assemble(header.Replace("\"[\\u0022a\\u0022,\\u0022b\\u0022]\"", nested), data), $"nested metadata {depth}", outcomes);
            Check(SafeTensorsTests.Assemble("{\"a\":" + nested + "}", data), $"nested header {depth}", outcomes);
        }

        int total = outcomes.Loaded + outcomes.Refused;
        output.WriteLine($"{total:N0} inputs in {stopwatch.Elapsed.TotalSeconds:F2} s: {outcomes.Loaded:N0} loaded, {outcomes.Refused:N0} refused, "
            + $"{outcomes.Messages.Count} distinct messages; largest allocation {outcomes.MaxAllocated:N0} bytes for a {outcomes.MaxAllocatedInputLength:N0}-byte input");
        Assert.True(outcomes.Refused > 5000, $"only {outcomes.Refused} inputs were refused: the mutations are not reaching the checks");
    }

    /// <summary>Training data for the tabular models: numeric, categorical and boolean features, a class and a numeric target.</summary>
    private static readonly byte[] TabularCsv = Encoding.UTF8.GetBytes(
        "size,color,fresh,kind,price\n1.5,red,true,a,10\n2.5,blue,false,b,12.5\n,red,true,a,9\n3.0,green,,b,14\n2.0,blue,true,a,11.25\n");

    /// <summary>A saved tabular model (classifier or regressor) and its metadata entries, to mutate.</summary>
    private static (Sequential<float> Network, Dictionary<string, string> Metadata) ValidTabularModel(bool regression)
    {
        Table table = Table.Read(() => new MemoryStream(TabularCsv), "train.csv", new CsvReadOptions());
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, regression
            ? new TabularOptions(Target: "price", Drop: ["kind"])
            : new TabularOptions(Target: "kind", Drop: ["price"]));
        int outputs = regression ? 1 : preprocessor.ClassNames!.Count;
        Sequential<float> network = ModelFileTests.Mlp<float>(5, preprocessor.FeatureCount, 4, outputs);
        var model = new TabularModel<float>(network, preprocessor, regression ? OutputKind.Identity : OutputKind.Softmax,
            regression ? new TargetScaling(11.3, 1.9) : null);
        SavedModel<float> saved = ModelFile.FromDocument<float>(SafeTensors.Parse(model.ToBytes(), "valid"), "valid");
        return (network, saved.Metadata.Where(kv => !ModelFile.ReservedKeys.Contains(kv.Key)).ToDictionary());
    }

    private static byte[] TabularFile(Sequential<float> network, Dictionary<string, string> metadata)
    {
        var extras = new ModelFileExtras();
        foreach (var (key, value) in metadata) extras.Metadata[key] = value;
        return ModelFile.ToBytes(network, extras);
    }

    [Fact]
    public void Every_mutation_of_a_tabular_model_loads_or_fails_with_a_BackpropException()
    {
        var stopwatch = Stopwatch.StartNew();
        ulong seed = Fuzzing.Seed(2025UL);
        var rng = new Rng(seed);
        output.WriteLine($"seed {seed}, scale {Scale}");
        var outcomes = new Outcomes();
        string[] replacements =
        [
            "\"Numeric\"", "\"Categorical\"", "\"Boolean\"", "\"Classification\"", "\"Regression\"", "\"Error\"", "\"Mean\"", "\"a\"", "\"\"",
            "\"size\"", "\"color\"", "\"kind\"", "\"price\"", "null", "true", "[]", "[null]", "[\"x\",\"x\"]", "{}", "0", "-1", "2", "7", "1e308",
            "-1e308", "\"NaN\"", "2147483648", "99999999999999999999", "0.5",
        ];
        foreach (bool regression in new[] { false, true })
        {
            (Sequential<float> network, Dictionary<string, string> metadata) = ValidTabularModel(regression);
            byte[] valid = TabularFile(network, metadata);
            WarmUp(valid, tabular: true);
            int loadedBefore = outcomes.Loaded;
            Check(valid, $"original (regression {regression})", outcomes, tabular: true);
            Assert.Equal(loadedBefore + 1, outcomes.Loaded);
            // Every metadata entry edited (the preprocessing JSON most), or removed.
            string[] keys = [.. metadata.Keys];
            for (int i = 0; i < 3000 * Scale; i++)
            {
                string key = i % 3 == 0 ? keys[rng.NextInt(keys.Length)] : TabularModel<float>.PreprocessingKey;
                var mutated = new Dictionary<string, string>(metadata);
                string edited = rng.NextInt(20) == 0 ? replacements[rng.NextInt(replacements.Length)] : MutateHeader(metadata[key], rng, replacements);
                mutated[key] = edited;
                Check(TabularFile(network, mutated), $"{key} edit #{i} (regression {regression}): {edited}", outcomes, tabular: true);
            }
            foreach (string key in keys)
            {
                var without = new Dictionary<string, string>(metadata);
                without.Remove(key);
                Check(TabularFile(network, without), $"without {key}", outcomes, tabular: true);
            }
            // Deep nesting and huge arrays inside the preprocessing JSON.
            foreach (int depth in new[] { 63, 64, 65, 1000, 100_000 })
            {
                var nested = new Dictionary<string, string>(metadata)
                {
                    [TabularModel<float>.PreprocessingKey] = metadata[TabularModel<float>.PreprocessingKey].Replace("\"features\":", "\"extra\":" + new string('[', depth) + new string(']', depth) + ",\"features\":"),
                };
                Check(TabularFile(network, nested), $"nested {depth}", outcomes, tabular: true);
            }
            var manyCategories = new Dictionary<string, string>(metadata)
            {
                [TabularModel<float>.PreprocessingKey] = metadata[TabularModel<float>.PreprocessingKey].Replace("\"red\"", string.Join(",", Enumerable.Range(0, 100_000).Select(c => $"\"c{c}\"")) + ",\"red\""),
            };
            Check(TabularFile(network, manyCategories), "100,000 categories", outcomes, tabular: true);
            // Bit flips of the whole file.
            for (int i = 0; i < 1000 * Scale; i++)
            {
                byte[] file = Fuzzing.FlipBits(valid, rng, 1);
                Check(file, $"bit flip #{i} (regression {regression})", outcomes, tabular: true);
            }
        }
        output.WriteLine($"{outcomes.Loaded + outcomes.Refused:N0} inputs in {stopwatch.Elapsed.TotalSeconds:F2} s: {outcomes.Loaded:N0} loaded, {outcomes.Refused:N0} refused, "
            + $"{outcomes.Messages.Count} distinct messages; largest allocation {outcomes.MaxAllocated:N0} bytes for a {outcomes.MaxAllocatedInputLength:N0}-byte input");
        foreach (string message in outcomes.Messages.Order().Take(60)) output.WriteLine("  " + message);
        Assert.True(outcomes.Loaded > 300, $"only {outcomes.Loaded} inputs loaded: the mutations destroy every file");
        Assert.True(outcomes.Refused > 3000, $"only {outcomes.Refused} inputs were refused: the mutations are not reaching the checks");
    }

    private static string MutateHeader(string header, Rng rng, string[] replacements)
    {
        switch (rng.NextInt(4))
        {
            case 0: // replace a number with another value
            {
                int digit = RandomIndexOf(header, rng, char.IsAsciiDigit);
                if (digit < 0) return header;
                int stop = digit;
                while (stop < header.Length && char.IsAsciiDigit(header[stop])) stop++;
                return string.Concat(header.AsSpan(0, digit), replacements[rng.NextInt(replacements.Length)], header.AsSpan(stop));
            }
            case 1: // replace a quoted string
            {
                int quote = RandomIndexOf(header, rng, c => c == '"');
                int close = quote < 0 ? -1 : header.IndexOf('"', quote + 1);
                if (close < 0) return header;
                return string.Concat(header.AsSpan(0, quote), replacements[rng.NextInt(replacements.Length)], header.AsSpan(close + 1));
            }
            case 2: // delete a span
            {
                int start = rng.NextInt(header.Length);
                return header.Remove(start, Math.Min(header.Length - start, 1 + rng.NextInt(12)));
            }
            default: // duplicate a span
            {
                int start = rng.NextInt(header.Length);
                int length = Math.Min(header.Length - start, 1 + rng.NextInt(40));
                return header.Insert(rng.NextInt(header.Length), header.Substring(start, length));
            }
        }
    }

    private static int RandomIndexOf(string text, Rng rng, Func<char, bool> match)
    {
        int start = rng.NextInt(text.Length);
        for (int k = 0; k < text.Length; k++)
        {
            int i = (start + k) % text.Length;
            if (match(text[i])) return i;
        }
        return -1;
    }
}
