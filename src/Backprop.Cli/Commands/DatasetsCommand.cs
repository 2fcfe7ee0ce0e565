using System.CommandLine;
using Backprop.Cli.Rendering;
using Backprop.Data;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop datasets</c>: the data sets embedded in the library, with their sizes.</summary>
internal static class DatasetsCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of a table" };
        var command = new Command("datasets",
            "List the data sets embedded in Backprop (usable with 'train --dataset NAME').\n\nExample:\n  backprop datasets --json")
        {
            json,
        };
        command.SetAction(parse =>
        {
            var rows = EmbeddedDatasets.Names.Select(name =>
            {
                Dataset<double> data = EmbeddedDatasets.Load<double>(name);
                return (Name: name, Rows: data.Count, Features: data.FeatureCount, Classes: data.ClassNames?.Count ?? 0);
            }).ToList();
            if (parse.GetValue(json))
            {
                WriteJson(output, rows);
                return Cli.Success;
            }
            output.WriteLine($"{"name",-8} {"rows",6} {"features",9} {"classes",8}");
            foreach (var row in rows)
            {
                output.WriteLine($"{row.Name,-8} {row.Rows,6} {row.Features,9} {row.Classes,8}");
            }
            return Cli.Success;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, IEnumerable<(string Name, int Rows, int Features, int Classes)> rows) =>
        Json.WriteObject(output, writer =>
        {
            writer.WriteStartArray("datasets");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("name", row.Name);
                writer.WriteNumber("rows", row.Rows);
                writer.WriteNumber("features", row.Features);
                writer.WriteNumber("classes", row.Classes);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
}
