using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Output;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// The AWS CLI v2's IAM Identity Center cache, ~/.aws/sso/cache, read and written so that a sign-in by either
/// tool serves the other: tokens under the SHA-1 of the sso-session name (or of the start URL for legacy
/// profiles), client registrations under the SHA-1 of the JSON of {tool, startUrl, region, scopes,
/// session_name}, the same JSON fields, and expiry times as %Y-%m-%dT%H:%M:%SZ. Files are 0600 in a 0700 folder
/// (when AwsLogin creates it) and replaced atomically.
/// </summary>
public sealed class SsoTokenCache
{
    public SsoTokenCache(string directory)
    {
        Directory = directory;
    }

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>~/.aws/sso/cache under the home folder <paramref name="environment"/> names (HOME, USERPROFILE), as botocore finds it.</summary>
    public static SsoTokenCache ForEnvironment(IEnvironmentReader environment) =>
        new(Path.Combine(SharedConfigFiles.HomeDirectory(environment), ".aws", "sso", "cache"));

    /// <summary>The token cache key: the SHA-1 (hex) of the sso-session name, or of the start URL without one.</summary>
    public static string TokenKey(string? sessionName, string startUrl) => Sha1Hex(sessionName ?? startUrl);

    /// <summary>
    /// The registration cache key, as the AWS CLI's BaseSSOTokenFetcher builds it: the SHA-1 of
    /// json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"}, sort_keys=True).
    /// <paramref name="scopes"/> is null when the sso-session has no sso_registration_scopes key.
    /// </summary>
    public static string RegistrationKey(string startUrl, string region, IReadOnlyList<string>? scopes, string? sessionName)
    {
        var json = PythonJson.SortedObject(new[]
        {
            Member("tool", "botocore"),
            Member("startUrl", startUrl),
            Member("region", region),
            Member("scopes", scopes),
            Member("session_name", sessionName),
        });
        return Sha1Hex(json);
    }

    /// <summary>The file that holds <paramref name="key"/>.</summary>
    public string PathFor(string key) => Path.Combine(Directory, key + ".json");

    /// <summary>
    /// The cached token, or null when there is none. A file that is not a token (damaged, or missing accessToken
    /// or expiresAt) counts as no token, as botocore treats it; <paramref name="problem"/> then says why.
    /// </summary>
    public SsoToken? ReadToken(string key, out string? problem)
    {
        problem = null;
        var text = ReadOrNull(PathFor(key));
        if (text is null)
        {
            return null;
        }

        try
        {
            return ParseToken(text);
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>Writes a token in the AWS CLI's format.</summary>
    public void WriteToken(string key, SsoToken token) => Write(PathFor(key), SerializeToken(token));

    /// <summary>The cached registration, or null when there is none or it cannot be read.</summary>
    public SsoClientRegistration? ReadRegistration(string key)
    {
        var text = ReadOrNull(PathFor(key));
        if (text is null)
        {
            return null;
        }

        try
        {
            return ParseRegistration(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes a registration in the AWS CLI's format.</summary>
    public void WriteRegistration(string key, SsoClientRegistration registration) => Write(PathFor(key), SerializeRegistration(registration));

    /// <summary>Deletes an entry; true when it existed.</summary>
    public bool Remove(string key) => SecureFile.TryDelete(PathFor(key));

    /// <summary>
    /// Reads a token file given by path (-CacheFile, Import-AwsSsoToken). Unlike the cache, a missing or invalid
    /// file is an error: SsoTokenFileNotFound or SsoTokenFileInvalid.
    /// </summary>
    public static SsoToken ReadTokenFile(string path)
    {
        string? text;
        try
        {
            text = SecureFile.ReadAllTextOrNull(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AwsLoginException(FailureKind.FileError, "SsoTokenFileInvalid", $"The token file '{path}' could not be read: {ex.GetType().Name}.", path,
                "Check the path and that you may read the file.", ex);
        }

        if (text is null)
        {
            throw new AwsLoginException(FailureKind.NotFound, "SsoTokenFileNotFound", $"The token file '{path}' does not exist.", path,
                "Pass the path of a token file from ~/.aws/sso/cache (or another AWS tool's cache).");
        }

        try
        {
            return ParseToken(text);
        }
        catch (FormatException ex)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoTokenFileInvalid", $"The file '{path}' is not an IAM Identity Center token: {ex.Message}", path,
                "Pass a token file as the AWS CLI writes them: a JSON object with at least accessToken and expiresAt.");
        }
    }

    /// <summary>Parses a cached token; <see cref="FormatException"/> (without secrets in the message) when it is not one.</summary>
    internal static SsoToken ParseToken(string text)
    {
        using var document = ParseObject(text);
        var root = document.RootElement;
        var accessToken = String(root, "accessToken");
        var expiresAtText = String(root, "expiresAt");
        if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(expiresAtText))
        {
            throw new FormatException("it has no accessToken or no expiresAt.");
        }

        if (!SsoTime.TryParse(expiresAtText, out var expiresAt))
        {
            throw new FormatException($"its expiresAt '{expiresAtText}' is not a time.");
        }

        DateTime? registrationExpiresAt = null;
        if (String(root, "registrationExpiresAt") is { Length: > 0 } registrationText)
        {
            registrationExpiresAt = SsoTime.TryParse(registrationText, out var parsed)
                ? parsed
                : throw new FormatException($"its registrationExpiresAt '{registrationText}' is not a time.");
        }

        return new SsoToken(accessToken!, expiresAt)
        {
            StartUrl = String(root, "startUrl"),
            Region = String(root, "region"),
            RefreshToken = String(root, "refreshToken"),
            ClientId = String(root, "clientId"),
            ClientSecret = String(root, "clientSecret"),
            RegistrationExpiresAt = registrationExpiresAt,
        };
    }

    /// <summary>The token as the AWS CLI writes it (json.dumps of the same dict, in the same member order).</summary>
    internal static string SerializeToken(SsoToken token)
    {
        var members = new List<KeyValuePair<string, object?>>();
        if (token.StartUrl is not null)
        {
            members.Add(Member("startUrl", token.StartUrl));
        }

        if (token.Region is not null)
        {
            members.Add(Member("region", token.Region));
        }

        members.Add(Member("accessToken", token.AccessToken));
        members.Add(Member("expiresAt", SsoTime.Format(token.ExpiresAt)));
        if (token.ClientId is not null && token.ClientSecret is not null)
        {
            members.Add(Member("clientId", token.ClientId));
            members.Add(Member("clientSecret", token.ClientSecret));
            if (token.RegistrationExpiresAt is { } registrationExpiresAt)
            {
                members.Add(Member("registrationExpiresAt", SsoTime.Format(registrationExpiresAt)));
            }
        }

        if (token.RefreshToken is not null)
        {
            members.Add(Member("refreshToken", token.RefreshToken));
        }

        return PythonJson.Object(members);
    }

    internal static SsoClientRegistration ParseRegistration(string text)
    {
        using var document = ParseObject(text);
        var root = document.RootElement;
        var clientId = String(root, "clientId");
        var clientSecret = String(root, "clientSecret");
        var expiresAtText = String(root, "expiresAt");
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret) || expiresAtText is null || !SsoTime.TryParse(expiresAtText, out var expiresAt))
        {
            throw new FormatException("it has no clientId, clientSecret or valid expiresAt.");
        }

        return new SsoClientRegistration(clientId!, clientSecret!, expiresAt)
        {
            Scopes = Strings(root, "scopes"),
            GrantTypes = Strings(root, "grantTypes"),
        };
    }

    // The AWS CLI's device-code registration dict is {clientId, clientSecret, expiresAt[, scopes]}; the
    // authorization-code one adds scopes and grantTypes.
    internal static string SerializeRegistration(SsoClientRegistration registration)
    {
        var members = new List<KeyValuePair<string, object?>>
        {
            Member("clientId", registration.ClientId),
            Member("clientSecret", registration.ClientSecret),
            Member("expiresAt", SsoTime.Format(registration.ExpiresAt)),
        };
        // Device code: scopes only when there are some (Python's `if scopes:`); authorization code: always.
        if (registration.Scopes is { Count: > 0 } || (registration.GrantTypes is not null && registration.Scopes is not null))
        {
            members.Add(Member("scopes", registration.Scopes));
        }

        if (registration.GrantTypes is not null)
        {
            members.Add(Member("grantTypes", registration.GrantTypes));
        }

        return PythonJson.Object(members);
    }

    internal static string Sha1Hex(string text)
    {
        using var sha1 = SHA1.Create();
        var hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(text));
        var builder = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static KeyValuePair<string, object?> Member(string name, object? value) => new(name, value);

    private static JsonDocument ParseObject(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new FormatException("it is not JSON.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FormatException("it is not a JSON object.");
        }

        return document;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string>? Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
        }

        return list;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return SecureFile.ReadAllTextOrNull(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable entry is a miss, as botocore's JSONFileCache treats it.
            return null;
        }
    }

    private void Write(string path, string text)
    {
        try
        {
            SecureFile.WriteAllTextAtomic(path, text, secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AwsLoginException(
                FailureKind.FileError,
                "SsoCacheFileError",
                $"The IAM Identity Center cache file '{path}' could not be written: {ex.GetType().Name}.",
                path,
                "Check that ~/.aws/sso/cache is a folder you own and can write to.",
                ex);
        }
    }
}

/// <summary>The time format of the SSO cache: written as %Y-%m-%dT%H:%M:%SZ, read as leniently as dateutil.</summary>
internal static class SsoTime
{
    /// <summary>yyyy-MM-ddTHH:mm:ssZ (UTC, whole seconds), as the AWS CLI writes expiresAt.</summary>
    public static string Format(DateTime utc) => Rfc3339.Format(utc);

    /// <summary>
    /// RFC 3339 with Z or an offset (with or without fractions), the AWS CLI v1's "2019-11-14T04:35:28UTC", and
    /// other ISO 8601 forms that dateutil reads; times without a zone are UTC.
    /// </summary>
    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text!.Trim();
        if (Rfc3339.TryParse(trimmed, out utc))
        {
            return true;
        }

        if (trimmed.EndsWith("UTC", StringComparison.OrdinalIgnoreCase) || trimmed.EndsWith("GMT", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed.Substring(0, trimmed.Length - 3).TrimEnd();
        }

        if (DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utc = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
            return true;
        }

        return false;
    }
}
