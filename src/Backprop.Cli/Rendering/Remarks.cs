using System.Text.Json;
using Backprop.Preprocessing;

namespace Backprop.Cli.Rendering;

/// <summary>
/// What a command noticed that its user should know, as it is shown: <c>warning:</c> and <c>note:</c> lines on stderr, and
/// with <c>--json</c> also the <c>warnings</c> and <c>notes</c> arrays of the JSON object, so that a script sees what a person
/// would (a dropped column, imputed cells, categories never seen in training).
/// </summary>
/// <param name="writeLine">Shows one line (stderr, or the training display, which keeps it off the progress bar).</param>
internal sealed class Remarks(Action<string> writeLine)
{
    private readonly List<string> _warnings = [];
    private readonly List<string> _notes = [];

    /// <summary>The warnings so far.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The notes so far.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Records a warning and writes its line.</summary>
    public void Warning(string text) => Add(_warnings, "warning", text);

    /// <summary>Records a note and writes its line.</summary>
    public void Note(string text) => Add(_notes, "note", text);

    /// <summary>Records and writes the warnings, then the notes, that a transform reported (the imputation of many columns in one note).</summary>
    public void AddAll(IEnumerable<string> warnings, IEnumerable<string> notes)
    {
        foreach (string warning in warnings) Warning(warning);
        var said = new TransformRemarks();
        said.Add(notes);
        foreach (string note in said.Messages) Note(note);
    }

    /// <summary>Writes the <c>warnings</c> and <c>notes</c> arrays (empty when there were none).</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStrings("warnings", _warnings);
        writer.WriteStrings("notes", _notes);
    }

    private void Add(List<string> list, string kind, string text)
    {
        string line = Printable.OneLine(text);
        lock (list) list.Add(line); // a training run notes from its own thread
        writeLine($"{kind}: {line}");
    }
}
