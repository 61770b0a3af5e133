using System.Collections.Generic;
using System.Text;

namespace AwsLogin.Engine.Config;

/// <summary>Python's shlex.split (POSIX mode, no comments), which botocore applies to section names.</summary>
internal static class ShellWords
{
    /// <summary>The words, or null where shlex raises (an unclosed quote, a trailing backslash).</summary>
    public static List<string>? Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '"')
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    return null;
                }

                word.Append(text[++i]);
                inWord = true;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            return null;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>Quotes a word so that <see cref="Split"/> returns it whole.</summary>
    public static string Quote(string word)
    {
        var plain = word.Length > 0;
        foreach (var c in word)
        {
            if (char.IsWhiteSpace(c) || c is '\'' or '"' or '\\')
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return word;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in word)
        {
            if (c is '\\' or '"')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
