namespace Backprop;

/// <summary>
/// Text that names options as <c>{Name}</c> (a property of the options record), so that each front end shows them as it
/// names them: the library by the property, the command line by its flag (<c>{Task}</c> → <c>--task</c>). A brace that is
/// text (in a column name, a path) is doubled, as in .NET format strings: <see cref="Escape"/> does that.
/// </summary>
internal static class OptionPlaceholders
{
    /// <summary><paramref name="template"/> with every <c>{Name}</c> replaced by <paramref name="name"/>(<c>Name</c>), and <c>{{ }}</c> by <c>{ }</c>.</summary>
    public static string Fill(string template, Func<string, string> name)
    {
        var text = new System.Text.StringBuilder(template.Length);
        for (int at = 0; at < template.Length; at++)
        {
            char c = template[at];
            if (c is '{' or '}' && at + 1 < template.Length && template[at + 1] == c)
            {
                text.Append(c);
                at++;
            }
            else if (c == '{' && template.IndexOf('}', at) is int close and > 0)
            {
                text.Append(name(template[(at + 1)..close]));
                at = close;
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary><paramref name="template"/> with each option named by its property.</summary>
    public static string Plain(string template) => Fill(template, name => name);

    /// <summary><paramref name="text"/> (a column name, a path, a value) made safe to put into a template: its braces doubled.</summary>
    public static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="text"/> as an option's value in a suggestion (<c>{Categorical} Order Date</c> would be two words to a
    /// shell): as it is when it holds only characters no shell reads (letters, digits, <c>_ - . / : , + = @ %</c>), in
    /// single quotes otherwise (<c>'Order Date'</c>, a quote in it as <c>'\''</c>); escaped for a template.
    /// </summary>
    public static string Value(string text)
    {
        bool plain = text.Length > 0;
        foreach (char c in text) plain &= char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or ',' or '+' or '=' or '@' or '%';
        return Escape(plain ? text : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
    }
}
