using System.Text.Json;
using Backprop.Cli.Rendering;

namespace Backprop.Tests.Cli.Rendering;

public sealed class RemarksTests
{
    [Fact]
    public void Each_remark_is_one_line_shown_and_kept_for_the_json_object()
    {
        var lines = new List<string>();
        var remarks = new Remarks(lines.Add);
        remarks.Note("dropped column 'id': identifier-like");
        remarks.Warning("column 'zip': 1 row(s) with a category not seen in training\nand a second line");
        remarks.AddAll(["w2"], ["n2"]);

        Assert.Equal(["note: dropped column 'id': identifier-like", "warning: column 'zip': 1 row(s) with a category not seen in training\\nand a second line",
            "warning: w2", "note: n2"], lines);
        using var json = JsonDocument.Parse(Json(remarks));
        Assert.Equal(["column 'zip': 1 row(s) with a category not seen in training\\nand a second line", "w2"],
            json.RootElement.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["dropped column 'id': identifier-like", "n2"], json.RootElement.GetProperty("notes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void None_gives_empty_arrays() =>
        Assert.Equal("""{"warnings":[],"notes":[]}""", Json(new Remarks(_ => { })).TrimEnd());

    private static string Json(Remarks remarks)
    {
        var text = new StringWriter();
        Backprop.Cli.Rendering.Json.WriteObject(text, remarks.WriteJson);
        return text.ToString();
    }
}
