using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AwsLogin.Engine.Output;

/// <summary>
/// The credential_process Version 1 contract: what AWS tools read from a credential process's stdout, and what
/// we write when we are one, and read when we run one.
/// </summary>
public static class CredentialProcessJson
{
    /// <summary>The only version AWS tools accept.</summary>
    public const int SupportedVersion = 1;

    private const string InvalidOutputCode = "CredentialProcessInvalidOutput";

    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// One line of JSON: Version, AccessKeyId, SecretAccessKey, then SessionToken, Expiration (RFC 3339, Z) and
    /// AccountId when known. No BOM, no trailing newline.
    /// </summary>
    public static string Serialize(CredentialSet credentials)
    {
        if (credentials is null)
        {
            throw new ArgumentNullException(nameof(credentials));
        }

        using var stream = new MemoryStream();
        // Relaxed escaping: '+' and '/' in keys stay as they are (the default encoder writes \u002B), which other
        // tools read either way but people compare by eye.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", SupportedVersion);
            writer.WriteString("AccessKeyId", credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey", credentials.SecretAccessKey);
            if (credentials.SessionToken is { } token)
            {
                writer.WriteString("SessionToken", token);
            }

            if (credentials.Expiration is { } expiration)
            {
                writer.WriteString("Expiration", Rfc3339.Format(expiration));
            }

            if (!string.IsNullOrEmpty(credentials.AccountId))
            {
                writer.WriteString("AccountId", credentials.AccountId);
            }

            writer.WriteEndObject();
        }

        return s_utf8NoBom.GetString(stream.ToArray());
    }

    /// <summary>
    /// Reads a credential process's stdout with botocore's rules: Version must be 1, AccessKeyId and
    /// SecretAccessKey are required, SessionToken, Expiration and AccountId optional. Failures are an
    /// <see cref="AwsLoginException"/> (CredentialProcessFailed, CredentialProcessInvalidOutput) whose message names
    /// the problem and never repeats the output, which may hold secrets.
    /// </summary>
    public static CredentialSet Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw Invalid("The credential process printed nothing on stdout; it must print Version 1 JSON.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            // JsonException messages quote the offending character; only its position is safe to show.
            throw Invalid($"The credential process output is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"The credential process output is a JSON {Describe(root.ValueKind)}, not an object.");
            }

            // Python's json keeps the last of duplicate keys.
            JsonElement? version = null, accessKeyId = null, secret = null, token = null, expiration = null, accountId = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Version": version = property.Value; break;
                    case "AccessKeyId": accessKeyId = property.Value; break;
                    case "SecretAccessKey": secret = property.Value; break;
                    case "SessionToken": token = property.Value; break;
                    case "Expiration": expiration = property.Value; break;
                    case "AccountId": accountId = property.Value; break;
                }
            }

            CheckVersion(version);
            var accessKeyIdText = Required(accessKeyId, "AccessKeyId");
            var secretText = Required(secret, "SecretAccessKey");
            var tokenText = Optional(token, "SessionToken");
            DateTime? expirationTime = null;
            if (Optional(expiration, "Expiration") is { } expirationText)
            {
                if (!Rfc3339.TryParse(expirationText, out var parsed))
                {
                    throw Invalid("The credential process output has an Expiration that is not an RFC 3339 timestamp (such as 2026-11-23T12:00:00Z).");
                }

                expirationTime = parsed;
            }

            return new CredentialSet(accessKeyIdText, secretText, tokenText)
            {
                Expiration = expirationTime,
                AccountId = Optional(accountId, "AccountId"),
                Source = "credential_process",
                Origin = tokenText is null ? CredentialOrigin.LongTermKeys : CredentialOrigin.Temporary,
            };
        }
    }

    private static void CheckVersion(JsonElement? version)
    {
        if (version is not { } element)
        {
            throw Invalid($"The credential process output has no Version key; supported versions: {SupportedVersion}.");
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            throw Invalid($"The credential process output has a Version that is a JSON {Describe(element.ValueKind)}; it must be the number {SupportedVersion}.");
        }

        // Python compares with != 1, so 1.0 is accepted too.
        if (!element.TryGetDouble(out var number) || number != SupportedVersion)
        {
            var raw = element.GetRawText();
            throw Invalid($"Unsupported Version '{(raw.Length <= 20 ? raw : raw.Substring(0, 20) + "...")}' in the credential process output; supported versions: {SupportedVersion}.");
        }
    }

    private static string Required(JsonElement? element, string name)
    {
        if (element is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            throw Invalid($"Missing required key in the credential process output: '{name}'.");
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"The credential process output has a {name} that is a JSON {Describe(value.ValueKind)}, not a string.");
        if (string.IsNullOrEmpty(text))
        {
            throw Invalid($"The credential process output has an empty {name}.");
        }

        return text!;
    }

    private static string? Optional(JsonElement? element, string name)
    {
        if (element is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"The credential process output has a {name} that is a JSON {Describe(value.ValueKind)}, not a string.");
        }

        var text = value.GetString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static AwsLoginException Invalid(string message) =>
        new(
            FailureKind.CredentialProcessFailed,
            InvalidOutputCode,
            message,
            target: null,
            recommendedAction: "Run the credential_process command by hand: it must print {\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ...} on stdout.");
}
