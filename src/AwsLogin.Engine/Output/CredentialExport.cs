using System;
using System.Collections.Generic;
using System.Text;

namespace AwsLogin.Engine.Output;

/// <summary>The shells and file formats credentials can be exported in.</summary>
public enum ExportFormat
{
    /// <summary>POSIX shells (bash, zsh): <c>export NAME='value'</c>; the AWS CLI's <c>env</c>.</summary>
    Bash,
    /// <summary>fish: <c>set -gx NAME 'value'</c>; the AWS CLI's <c>fish</c>.</summary>
    Fish,
    /// <summary>PowerShell: <c>$Env:NAME="value"</c>; the AWS CLI's <c>powershell</c>.</summary>
    PowerShell,
    /// <summary>cmd.exe: <c>set "NAME=value"</c>; the AWS CLI's <c>windows-cmd</c>.</summary>
    Cmd,
    /// <summary>A .env file: <c>NAME="value"</c>.</summary>
    DotEnv,
    /// <summary>The credential_process Version 1 JSON; the AWS CLI's <c>process</c>.</summary>
    ProcessJson,
}

/// <summary>
/// Credentials as text a shell (or a .env reader, or an AWS tool running a credential_process) applies. Values are
/// quoted so that any text is carried literally; what a format cannot carry is refused, never mangled.
/// </summary>
/// <remarks>
/// The variables and the ones cleared come from <see cref="CredentialEnvironment.VariablesFor"/>: the keys,
/// AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION (cleared when absent, so stale values from an earlier export
/// do not linger), AWS_REGION/AWS_DEFAULT_REGION when a region is known, and AWS_PROFILE and the other variables
/// that would take precedence, cleared. A .env file cannot clear a variable, so clears are left out there.
/// </remarks>
public static class CredentialExport
{
    /// <summary>The lines for <paramref name="format"/>, joined with "\n" (no trailing line break).</summary>
    public static string Format(CredentialSet credentials, ExportFormat format, string? region) =>
        string.Join("\n", FormatLines(credentials, format, region));

    /// <summary>The lines for <paramref name="format"/>: one per variable set or cleared, or the one JSON line.</summary>
    public static IReadOnlyList<string> FormatLines(CredentialSet credentials, ExportFormat format, string? region)
    {
        if (credentials is null)
        {
            throw new ArgumentNullException(nameof(credentials));
        }

        if (format == ExportFormat.ProcessJson)
        {
            return new[] { CredentialProcessJson.Serialize(credentials) };
        }

        var lines = new List<string>();
        foreach (var variable in CredentialEnvironment.VariablesFor(credentials, region))
        {
            var line = variable.Value is { } value ? SetLine(format, variable.Key, value) : ClearLine(format, variable.Key);
            if (line is not null)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>
    /// Maps a format name to <see cref="ExportFormat"/>: our names (case-insensitive) and the AWS CLI's
    /// <c>--format</c> names env, fish, powershell, windows-cmd and process, plus dotenv.
    /// </summary>
    public static bool TryParseFormatName(string? name, out ExportFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "bash" or "env" or "sh" or "zsh":
                format = ExportFormat.Bash;
                return true;
            case "fish":
                format = ExportFormat.Fish;
                return true;
            case "powershell" or "pwsh":
                format = ExportFormat.PowerShell;
                return true;
            case "cmd" or "windows-cmd":
                format = ExportFormat.Cmd;
                return true;
            case "dotenv" or ".env":
                format = ExportFormat.DotEnv;
                return true;
            case "processjson" or "process" or "json":
                format = ExportFormat.ProcessJson;
                return true;
            default:
                format = default;
                return false;
        }
    }

    private static string? SetLine(ExportFormat format, string name, string value)
    {
        if (value.IndexOf('\0') >= 0)
        {
            throw Unrepresentable(name, "a NUL character, which no environment variable can hold");
        }

        return format switch
        {
            ExportFormat.Bash => $"export {name}={BashQuote(value)}",
            ExportFormat.Fish => $"set -gx {name} {FishQuote(value)}",
            ExportFormat.PowerShell => $"$Env:{name}={PowerShellQuote(value)}",
            ExportFormat.Cmd => $"set \"{name}={CmdValue(name, value)}\"",
            ExportFormat.DotEnv => $"{name}={DotEnvQuote(value)}",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    private static string? ClearLine(ExportFormat format, string name) => format switch
    {
        ExportFormat.Bash => $"unset {name}",
        ExportFormat.Fish => $"set -e {name}",
        ExportFormat.PowerShell => $"$Env:{name} = $null",
        ExportFormat.Cmd => $"set \"{name}=\"",
        ExportFormat.DotEnv => null,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    // Inside single quotes POSIX shells take every character literally; a quote is closed, escaped, reopened.
    private static string BashQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    // fish single quotes: only \\ and \' are escapes.
    private static string FishQuote(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private static string PowerShellQuote(string value)
    {
        // The AWS CLI's style, $Env:NAME="value", where nothing in the value can expand; else a verbatim string.
        var plain = true;
        foreach (var c in value)
        {
            if (!(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=' or '.' or '_' or '-' or ':' or ',' or '@' or ' '))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return "\"" + value + "\"";
        }

        // PowerShell treats the typographic single quotes as quote characters too; doubling escapes each.
        var builder = new StringBuilder("'");
        foreach (var c in value)
        {
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                builder.Append(c);
            }

            builder.Append(c);
        }

        return builder.Append('\'').ToString();
    }

    private static string CmdValue(string name, string value)
    {
        // Inside set "NAME=value" the operators & | < > ^ are literal, but % always expands, ! expands under
        // delayed expansion, a quote ends the quoting and a line break ends the command: none can be escaped
        // reliably both at the prompt and in a batch file.
        if (value.IndexOfAny(new[] { '%', '!', '"', '\r', '\n' }) >= 0)
        {
            throw Unrepresentable(name, "a character cmd.exe cannot carry safely (%, !, \" or a line break)");
        }

        return value;
    }

    private static string DotEnvQuote(string value)
    {
        // Docker Compose and python-dotenv expand ${VAR} inside double quotes but not inside single quotes, and
        // no escape for '$' works in every reader: use single quotes when the value allows them.
        if (value.IndexOf('$') >= 0 && value.IndexOfAny(new[] { '\'', '\\', '\r', '\n' }) < 0)
        {
            return "'" + value + "'";
        }

        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }

    // Never include the value: it may be a secret.
    private static AwsLoginException Unrepresentable(string name, string what) =>
        new(
            FailureKind.InvalidArgument,
            "UnsafeExportValue",
            $"The value of {name} contains {what}.",
            name,
            "Export in another format (PowerShell, Bash or ProcessJson carry any value).");
}
