using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AwsLogin.Engine.Saml;

/// <summary>An input of an HTML form. Its value can be a secret (a SAMLResponse, a context token): ToString never shows it.</summary>
internal sealed class HtmlInput
{
    public HtmlInput(string type, string? name, string? value, string? id, bool isChecked, bool disabled)
    {
        Type = type;
        Name = name;
        Value = value;
        Id = id;
        Checked = isChecked;
        Disabled = disabled;
    }

    /// <summary>The type, lower case; "text" when absent, as browsers take it.</summary>
    public string Type { get; }

    public string? Name { get; }

    /// <summary>The value attribute, entity-decoded; null when absent.</summary>
    public string? Value { get; }

    public string? Id { get; }

    public bool Checked { get; }

    public bool Disabled { get; }

    /// <summary>Whether the user types into it as text (browsers treat unknown types as text).</summary>
    public bool IsTyped => Type is not ("hidden" or "password" or "checkbox" or "radio" or "submit" or "image" or "button" or "reset" or "file");

    public override string ToString() => $"input {Type} '{Name}'";
}

/// <summary>An HTML form: where it goes and its inputs, in document order.</summary>
internal sealed class HtmlForm
{
    public HtmlForm(string? action, string method, string? id, string? name, IReadOnlyList<HtmlInput> inputs)
    {
        Action = action;
        Method = method;
        Id = id;
        Name = name;
        Inputs = inputs;
    }

    /// <summary>The action attribute, entity-decoded; null when absent (the form posts to its page).</summary>
    public string? Action { get; }

    /// <summary>The method, upper case; GET when absent.</summary>
    public string Method { get; }

    public string? Id { get; }

    public string? Name { get; }

    public IReadOnlyList<HtmlInput> Inputs { get; }

    /// <summary>The first input named <paramref name="name"/> (case-insensitive).</summary>
    public HtmlInput? Input(string name) =>
        Inputs.FirstOrDefault(input => string.Equals(input.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool HasPassword => Inputs.Any(input => input.Type == "password");

    /// <summary>Where the form goes: its action resolved against the page's address.</summary>
    public Uri Target(Uri pageUrl) =>
        string.IsNullOrWhiteSpace(Action) ? pageUrl : new Uri(pageUrl, Action!.Trim());

    public override string ToString() => $"form '{Id ?? Name}' ({Inputs.Count} input(s))";
}

/// <summary>
/// A small, tolerant HTML scanner for sign-in pages: the forms with their inputs, the title, iframes and the text of
/// elements by id. It reads what browsers read (attributes in either quote style or none, entities, comments, raw
/// text in script and style) and skips whatever it does not understand; it never builds a DOM or runs anything.
/// </summary>
internal sealed class HtmlPage
{
    private readonly string _html;
    private readonly List<(string Id, string Tag, int ContentStart)> _ids;

    private HtmlPage(string html, IReadOnlyList<HtmlForm> forms, string? title, IReadOnlyList<string> frames, List<(string, string, int)> ids)
    {
        _html = html;
        Forms = forms;
        Title = title;
        Frames = frames;
        _ids = ids;
    }

    public IReadOnlyList<HtmlForm> Forms { get; }

    /// <summary>The title's text, whitespace collapsed; null when the page has none.</summary>
    public string? Title { get; }

    /// <summary>The src of every iframe (second-factor widgets such as Duo's live in one).</summary>
    public IReadOnlyList<string> Frames { get; }

    public static HtmlPage Parse(string html)
    {
        html ??= string.Empty;
        var forms = new List<HtmlForm>();
        var frames = new List<string>();
        var ids = new List<(string, string, int)>();
        string? title = null;
        FormBuilder? open = null;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }

            if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
            {
                var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }

            var next = html[lt + 1];
            if (next is '!' or '?')
            {
                // A doctype, a CDATA section or a processing instruction: nothing a form needs.
                var end = html.IndexOf('>', lt + 2);
                i = end < 0 ? html.Length : end + 1;
                continue;
            }

            if (next == '/')
            {
                var nameEnd = ReadName(html, lt + 2, out var closing);
                var end = html.IndexOf('>', nameEnd);
                i = end < 0 ? html.Length : end + 1;
                if (closing == "form" && open is not null)
                {
                    forms.Add(open.Build());
                    open = null;
                }

                continue;
            }

            if (!IsAsciiLetter(next))
            {
                // A stray '<' in text.
                i = lt + 1;
                continue;
            }

            var afterName = ReadName(html, lt + 1, out var tag);
            var attributes = ReadAttributes(html, afterName, out var contentStart);
            i = contentStart;
            if (Attribute(attributes, "id") is { Length: > 0 } id)
            {
                ids.Add((id, tag, contentStart));
            }

            switch (tag)
            {
                case "script":
                case "style":
                case "textarea":
                case "title":
                    // Raw text: a "<form" inside a script is not a form.
                    var close = IndexOfIgnoreCase(html, "</" + tag, contentStart);
                    var rawEnd = close < 0 ? html.Length : close;
                    if (tag == "title" && title is null)
                    {
                        title = Collapse(Decode(html.Substring(contentStart, rawEnd - contentStart)));
                    }

                    i = rawEnd;
                    break;

                case "form":
                    // Browsers ignore a form start tag inside an open form.
                    open ??= new FormBuilder(
                        Attribute(attributes, "action"),
                        (Attribute(attributes, "method") ?? "get").Trim().ToUpperInvariant(),
                        Attribute(attributes, "id"),
                        Attribute(attributes, "name"));
                    break;

                case "input":
                    if (open is not null)
                    {
                        var type = Attribute(attributes, "type")?.Trim().ToLowerInvariant();
                        open.Inputs.Add(new HtmlInput(
                            string.IsNullOrEmpty(type) ? "text" : type!,
                            Attribute(attributes, "name"),
                            Attribute(attributes, "value"),
                            Attribute(attributes, "id"),
                            Has(attributes, "checked"),
                            Has(attributes, "disabled")));
                    }

                    break;

                case "iframe":
                    frames.Add(Attribute(attributes, "src") ?? string.Empty);
                    break;
            }
        }

        if (open is not null)
        {
            forms.Add(open.Build());
        }

        return new HtmlPage(html, forms, title, frames, ids);
    }

    /// <summary>
    /// The text inside the first element whose id matches <paramref name="match"/> (tags stripped, entities decoded,
    /// whitespace collapsed); null when there is no such element or it is empty.
    /// </summary>
    public string? TextOf(Func<string, bool> match)
    {
        foreach (var (id, tag, start) in _ids)
        {
            if (!match(id))
            {
                continue;
            }

            var end = IndexOfIgnoreCase(_html, "</" + tag, start);
            var inner = _html.Substring(start, (end < 0 ? Math.Min(_html.Length, start + 4096) : end) - start);
            var text = Collapse(Decode(StripTags(inner)));
            if (text.Length > 0)
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>The text of the element with this id (case-insensitive).</summary>
    public string? TextOf(string id) => TextOf(candidate => string.Equals(candidate, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Decodes HTML character references: the common named ones and every numeric one.</summary>
    public static string Decode(string text)
    {
        if (text.IndexOf('&') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '&')
            {
                builder.Append(c);
                i++;
                continue;
            }

            // Browsers also decode a numeric reference without its ';' (&#43 is '+'); Okta's pages rely on that.
            if (NumericWithoutSemicolon(text, i, out var numeric, out var next))
            {
                builder.Append(numeric);
                i = next;
                continue;
            }

            var semicolon = text.IndexOf(';', i + 1);
            if (semicolon < 0 || semicolon - i > 12)
            {
                builder.Append(c);
                i++;
                continue;
            }

            var entity = text.Substring(i + 1, semicolon - i - 1);
            var decoded = DecodeEntity(entity);
            if (decoded is null)
            {
                builder.Append(c);
                i++;
                continue;
            }

            builder.Append(decoded);
            i = semicolon + 1;
        }

        return builder.ToString();
    }

    private static bool NumericWithoutSemicolon(string text, int amp, out string decoded, out int next)
    {
        decoded = string.Empty;
        next = amp;
        var start = amp + 2;
        if (start >= text.Length || text[amp + 1] != '#')
        {
            return false;
        }

        var hex = text[start] is 'x' or 'X';
        var end = hex ? start + 1 : start;
        while (end < text.Length && (hex ? Uri.IsHexDigit(text[end]) : char.IsDigit(text[end])) && end - start < 8)
        {
            end++;
        }

        var digitCount = end - (hex ? start + 1 : start);
        if (digitCount == 0 || (end < text.Length && text[end] == ';'))
        {
            return false;
        }

        decoded = DecodeEntity(text.Substring(amp + 1, end - amp - 1)) ?? string.Empty;
        next = end;
        return decoded.Length > 0;
    }

    private static string? DecodeEntity(string entity)
    {
        if (entity.Length > 1 && entity[0] == '#')
        {
            var hex = entity[1] is 'x' or 'X';
            var digits = entity.Substring(hex ? 2 : 1);
            if (digits.Length == 0 || !int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                return null;
            }

            // What browsers do with NUL, surrogates and values past Unicode: the replacement character.
            if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            {
                return "\uFFFD";
            }

            return char.ConvertFromUtf32(code);
        }

        return entity switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => "\u00A0",
            "sol" => "/",
            "equals" => "=",
            "plus" => "+",
            "colon" => ":",
            "num" => "#",
            "percnt" => "%",
            _ => null,
        };
    }

    private static int ReadName(string html, int start, out string name)
    {
        var i = start;
        while (i < html.Length && (char.IsLetterOrDigit(html[i]) || html[i] is '-' or ':' or '_'))
        {
            i++;
        }

        name = html.Substring(start, i - start).ToLowerInvariant();
        return i;
    }

    // Attributes up to the tag's '>' (quotes respected); contentStart is just after it.
    private static List<KeyValuePair<string, string?>> ReadAttributes(string html, int start, out int contentStart)
    {
        var attributes = new List<KeyValuePair<string, string?>>();
        var i = start;
        while (true)
        {
            while (i < html.Length && (char.IsWhiteSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length)
            {
                contentStart = html.Length;
                return attributes;
            }

            if (html[i] == '>')
            {
                contentStart = i + 1;
                return attributes;
            }

            var nameStart = i;
            i++;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
            {
                i++;
            }

            var name = html.Substring(nameStart, i - nameStart).ToLowerInvariant();
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            string? value = null;
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var close = html.IndexOf(quote, i + 1);
                    var end = close < 0 ? html.Length : close;
                    value = html.Substring(i + 1, end - i - 1);
                    i = close < 0 ? html.Length : close + 1;
                }
                else
                {
                    var valueStart = i;
                    while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    value = html.Substring(valueStart, i - valueStart);
                }

                value = Decode(value);
            }

            // HTML keeps the first of duplicated attributes.
            if (!attributes.Any(a => a.Key == name))
            {
                attributes.Add(new KeyValuePair<string, string?>(name, value));
            }
        }
    }

    private static string? Attribute(List<KeyValuePair<string, string?>> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == name)
            {
                return attribute.Value ?? string.Empty;
            }
        }

        return null;
    }

    private static bool Has(List<KeyValuePair<string, string?>> attributes, string name) => attributes.Any(a => a.Key == name);

    private static string StripTags(string html)
    {
        var builder = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<')
            {
                inTag = true;
                builder.Append(' ');
            }
            else if (c == '>' && inTag)
            {
                inTag = false;
            }
            else if (!inTag)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static int IndexOfIgnoreCase(string html, string value, int start) =>
        start >= html.Length ? -1 : html.IndexOf(value, start, StringComparison.OrdinalIgnoreCase);

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private sealed class FormBuilder
    {
        public FormBuilder(string? action, string method, string? id, string? name)
        {
            Action = action;
            Method = method.Length == 0 ? "GET" : method;
            Id = id;
            Name = name;
        }

        public string? Action { get; }

        public string Method { get; }

        public string? Id { get; }

        public string? Name { get; }

        public List<HtmlInput> Inputs { get; } = new();

        public HtmlForm Build() => new(Action, Method, Id, Name, Inputs.ToArray());
    }
}
