using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>
/// A planned edit of a shared config or credentials file: shown with <see cref="Describe"/> (for -WhatIf and
/// confirmation) and applied with <see cref="ConfigFileEditor.Apply"/>, which refuses if the file changed in between.
/// <see cref="OldText"/> and <see cref="NewText"/> hold secrets; <see cref="Describe"/> and <see cref="ToString"/> do not.
/// </summary>
public sealed class FileChange
{
    private static readonly HashSet<string> s_secretKeys = new(StringComparer.Ordinal)
    {
        "aws_secret_access_key", "aws_session_token", "aws_security_token", "awslogin_saml_password",
    };

    internal FileChange(string path, string? oldText, string newText, bool isSecret)
    {
        Path = path;
        OldText = oldText;
        NewText = newText;
        IsSecret = isSecret;
    }

    /// <summary>The file, as given (a symbolic link is written through, not replaced).</summary>
    public string Path { get; }

    /// <summary>The text the plan was made from, or null when the file did not exist.</summary>
    public string? OldText { get; }

    /// <summary>The text to write.</summary>
    public string NewText { get; }

    /// <summary>True when the file is written owner-only (0600), as the credentials file is.</summary>
    public bool IsSecret { get; }

    /// <summary>True when the file does not exist yet.</summary>
    public bool IsNewFile => OldText is null;

    /// <summary>False when applying would write the same text (or create an empty file).</summary>
    public bool HasChanges => OldText is null ? NewText.Length > 0 : !string.Equals(OldText, NewText, StringComparison.Ordinal);

    /// <summary>
    /// A unified diff of the change with secrets masked: aws_secret_access_key and session token values (and
    /// any key naming a secret, password or token, commented out or not) as ********, access key ids as
    /// <see cref="Mask.AccessKeyId"/>, lines the parser cannot read as ********.
    /// </summary>
    public string Describe()
    {
        if (!HasChanges)
        {
            return $"No changes to {Path}.";
        }

        var oldDocument = IniDocument.Parse(OldText ?? string.Empty);
        var newDocument = IniDocument.Parse(NewText);
        return UnifiedDiff.Build(
            IsNewFile ? "/dev/null" : Path,
            Path,
            oldDocument.GetDisplayLines(MaskValue),
            newDocument.GetDisplayLines(MaskValue),
            "\n") ?? $"No changes to {Path}.";
    }

    public override string ToString() => $"Change to {Path}";

    internal static string MaskValue(string key, string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (key == "aws_access_key_id")
        {
            return Mask.AccessKeyId(value);
        }

        return IsSecretKey(key) ? Mask.Hidden : value;
    }

    private static bool IsSecretKey(string key) =>
        s_secretKeys.Contains(key)
        || key.IndexOf("secret", StringComparison.Ordinal) >= 0
        || key.IndexOf("password", StringComparison.Ordinal) >= 0
        || key.EndsWith("token", StringComparison.Ordinal);
}
