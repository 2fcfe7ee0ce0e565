using System.Text.Json;
using Backprop.Serialization;

namespace Backprop.Tests.Cli;

/// <summary>
/// Model files that load (predict and export accept them) but hold odd or hostile metadata: <c>info</c> shows what it can, says
/// what it cannot, and never prints a control character from the file.
/// </summary>
public sealed class HostileModelFileTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Trained()
    {
        string path = Path.Combine(_files.Directory, "m.safetensors");
        if (!File.Exists(path)) Assert.Equal(0, CliRunner.Run("train", "--epochs", "2", "--save", path).ExitCode);
        return path;
    }

    // A copy of the trained model with one metadata entry replaced.
    private string WithEntry(string key, string value, string name)
    {
        SafeTensorsDocument document = SafeTensors.Load(Trained());
        var metadata = document.Metadata.ToDictionary();
        metadata[key] = value;
        string path = Path.Combine(_files.Directory, name);
        SafeTensors.Save(path, document.Tensors, metadata);
        return path;
    }

    [Theory]
    [InlineData("training", "0")]
    [InlineData("training", "null")]
    [InlineData("training", "[]")]
    [InlineData("training", "\"1\"")]
    [InlineData("history", "{\"epochs\":")]
    [InlineData("history", "[1,2")]
    public void Info_describes_a_model_whose_training_entries_are_not_objects(string key, string value)
    {
        string model = WithEntry(key, value, "odd.safetensors");
        var (code, output, error) = CliRunner.Run("info", "--model", model);
        Assert.True(code == 0, error);
        Assert.Contains("Outputs      setosa, versicolor, virginica", output);
        Assert.Contains(value.Length > 0 && value[0] is '{' or '[' && !IsJson(value) ? "(not valid JSON)" : "(not a JSON object)", output);

        var (jsonCode, json, jsonError) = CliRunner.Run("info", "--model", model, "--json");
        Assert.True(jsonCode == 0, jsonError);
        using JsonDocument parsed = JsonDocument.Parse(json); // one valid object, whatever the entry held
        Assert.True(parsed.RootElement.TryGetProperty(key, out _));
    }

    private static bool IsJson(string text)
    {
        try
        {
            using JsonDocument _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [Fact]
    public void Control_characters_in_names_and_labels_are_printed_escaped()
    {
        string preprocessing = SafeTensors.Load(Trained()).Metadata["preprocessing"]
            .Replace("\"sepal_length\"", "\"sepal\\nlength\"", StringComparison.Ordinal)
            .Replace("\"setosa\"", "\"\\u001b]0;pwned\\u0007setosa\"", StringComparison.Ordinal);
        string model = WithEntry("preprocessing", preprocessing, "hostile.safetensors");
        SafeTensorsDocument document = SafeTensors.Load(model);
        var metadata = document.Metadata.ToDictionary();
        metadata["library_version"] = "0.1.0\u001b[2J";
        SafeTensors.Save(model, document.Tensors, metadata);

        var (code, output, error) = CliRunner.Run("info", "--model", model);
        Assert.True(code == 0, error);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.Contains("sepal\\nlength", output);
        Assert.Contains("\\u001B]0;pwned\\u0007setosa", output);
        Assert.Contains("Backprop 0.1.0\\u001B[2J", output);

        // The same names in an error message: one line, escaped.
        string csv = _files.Write("rows.csv", "sepal_width,petal_length,petal_width,species\n1,2,3,setosa\n");
        var (evaluate, _, evaluateError) = CliRunner.Run("evaluate", "--model", model, "--data", csv);
        Assert.Equal(1, evaluate);
        Assert.Single(evaluateError.TrimEnd('\n').Split('\n'));
        Assert.Contains("sepal\\nlength", evaluateError);
        Assert.DoesNotContain('\u001b', evaluateError);
    }
}
