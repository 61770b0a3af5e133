using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Cache;

/// <summary>
/// Role credentials cached on disk, one 0600 JSON file per key in a 0700 folder, so that repeated calls
/// (credential_process runs once per AWS CLI command) reuse a session until it nears expiry. Keys are
/// SHA-256 hashes of what identifies a source and a role chain; no secret is ever part of a file name.
/// </summary>
public sealed class CredentialCache
{
    private const int FormatVersion = 1;

    private readonly string _directory;
    private readonly Func<DateTime> _utcNow;
    private readonly TimeSpan _refreshMargin;

    public CredentialCache(string directory, TimeSpan refreshMargin, Func<DateTime> utcNow)
    {
        _directory = directory;
        _refreshMargin = refreshMargin;
        _utcNow = utcNow;
    }

    /// <summary>The cache folder.</summary>
    public string Directory => _directory;

    /// <summary>Builds a cache key from ordered parts; the parts are hashed, never stored.</summary>
    public static string Key(IEnumerable<string> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            // Length-prefixed, so ("ab","c") and ("a","bc") differ.
            builder.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(builder.ToString()));
        return ToHex(hash);
    }

    /// <summary>A hash of a secret, for keys that must change when the secret changes.</summary>
    public static string Fingerprint(string secret)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(Encoding.UTF8.GetBytes("awslogin-secret\n" + secret))).Substring(0, 32);
    }

    /// <summary>The cached credentials for <paramref name="key"/> while more than the refresh margin is left.</summary>
    public CredentialSet? TryGet(string key)
    {
        string? text;
        try
        {
            text = SecureFile.ReadAllTextOrNull(PathFor(key));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An entry that cannot be read is a miss; storing the fresh one replaces it.
            text = null;
        }

        if (text is null)
        {
            return null;
        }

        var credentials = Deserialize(text);
        if (credentials?.Expiration is not { } expiration || expiration - _utcNow() <= _refreshMargin)
        {
            return null;
        }

        return credentials;
    }

    /// <summary>Stores credentials that expire; credentials without an expiry are never cached.</summary>
    public void Store(string key, CredentialSet credentials)
    {
        if (credentials.Expiration is null)
        {
            return;
        }

        var path = PathFor(key);
        try
        {
            SecureFile.WriteAllTextAtomic(path, Serialize(credentials), secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(path, ex);
        }
    }

    /// <summary>Deletes one entry; true when it existed.</summary>
    public bool Remove(string key) => SecureFile.TryDelete(PathFor(key));

    /// <summary>Deletes every cached entry and returns how many there were.</summary>
    public int Clear()
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            return 0;
        }

        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(_directory, "*.json");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(_directory, ex);
        }

        var count = 0;
        foreach (var file in files)
        {
            if (SecureFile.TryDelete(file))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Serialises fillers of the same entry across processes: the first caller fetches, the others wait and then
    /// find the entry in the cache.
    /// </summary>
    public Task<FileLock> LockAsync(string key, TimeSpan timeout, CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(Path.Combine(_directory, key + ".lock"), timeout, cancellationToken);

    private string PathFor(string key) => Path.Combine(_directory, key + ".json");

    private static AwsLoginException Unusable(string path, Exception ex) =>
        new(
            FailureKind.FileError,
            "CacheFileError",
            $"The credential cache '{path}' could not be written or listed: {ex.GetType().Name}.",
            path,
            "Check that the AwsLogin cache folder (under AWSLOGIN_HOME, by default ~/.aws/awslogin/cache) is a folder you own and can write to, or delete it.",
            ex);

    private static string Serialize(CredentialSet credentials)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", FormatVersion);
            writer.WriteString("AccessKeyId", credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey", credentials.SecretAccessKey);
            if (credentials.SessionToken is not null)
            {
                writer.WriteString("SessionToken", credentials.SessionToken);
            }

            writer.WriteString("Expiration", credentials.Expiration!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            WriteOptional(writer, "AccountId", credentials.AccountId);
            WriteOptional(writer, "Arn", credentials.Arn);
            WriteOptional(writer, "Region", credentials.Region);
            writer.WriteString("Source", credentials.Source);
            writer.WriteString("Origin", credentials.Origin.ToString());
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    // A damaged or foreign file is a cache miss, never an error: the entry is simply fetched again.
    private static CredentialSet? Deserialize(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != FormatVersion)
            {
                return null;
            }

            var expiration = DateTime.ParseExact(String(root, "Expiration")!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            return new CredentialSet(String(root, "AccessKeyId")!, String(root, "SecretAccessKey")!, String(root, "SessionToken"))
            {
                Expiration = expiration,
                AccountId = String(root, "AccountId"),
                Arn = String(root, "Arn"),
                Region = String(root, "Region"),
                Source = String(root, "Source") ?? "cache",
                Origin = Enum.TryParse<CredentialOrigin>(String(root, "Origin"), out var origin) ? origin : CredentialOrigin.Temporary,
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ToHex(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
