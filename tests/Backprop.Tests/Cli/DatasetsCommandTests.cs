using System.Text.Json;

namespace Backprop.Tests.Cli;

public class DatasetsCommandTests
{
    [Fact]
    public void Lists_iris_and_wine_with_their_sizes()
    {
        var (code, output, _) = CliRunner.Run("datasets");
        Assert.Equal(0, code);
        Assert.Contains("iris        150         4        3", output);
        Assert.Contains("wine        178        13        3", output);
    }

    [Fact]
    public void Json_is_one_object_with_snake_case_keys()
    {
        var (code, output, _) = CliRunner.Run("datasets", "--json");
        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement wine = document.RootElement.GetProperty("datasets")[1];
        Assert.Equal("wine", wine.GetProperty("name").GetString());
        Assert.Equal(178, wine.GetProperty("rows").GetInt32());
        Assert.Equal(13, wine.GetProperty("features").GetInt32());
        Assert.Equal(3, wine.GetProperty("classes").GetInt32());
    }
}
