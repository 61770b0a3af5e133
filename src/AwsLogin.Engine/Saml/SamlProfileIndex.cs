using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;

namespace AwsLogin.Engine.Saml;

/// <summary>What a sign-out deleted.</summary>
public sealed class SamlSignOutResult
{
    public SamlSignOutResult(int credentialsRemoved, int sessionsRemoved)
    {
        CredentialsRemoved = credentialsRemoved;
        SessionsRemoved = sessionsRemoved;
    }

    /// <summary>Cached role credential files deleted.</summary>
    public int CredentialsRemoved { get; }

    /// <summary>IdP session cookie files and browser profile folders deleted.</summary>
    public int SessionsRemoved { get; }
}

/// <summary>Who last signed in through a profile at an IdP endpoint, and the roles that sign-in gave (not secret).</summary>
public sealed record LastSignIn(string UserName, IReadOnlyList<string> RoleArns);

/// <summary>
/// Which cached SAML role credentials belong to which AwsLogin profile. Cache keys are hashes that do not include the
/// profile (a user's role credentials are shared by every profile signing in as that user), so each sign-in that
/// caches role credentials records their keys in a small per-profile index: one 0600 JSON file of key hashes and the
/// last sign-in per IdP endpoint (user name and role ARNs; no secrets) under saml/profiles in the AwsLogin home,
/// written atomically under a cross-process lock. IdP session
/// files need no index: their key is derived from the profile and the endpoint each file records.
/// </summary>
public sealed class SamlProfileIndex
{
    private const int FormatVersion = 1;

    private readonly EngineContext _context;
    private readonly string _directory;
    private readonly CredentialCache _cache;
    private readonly IdpSessionStore _sessions;

    public SamlProfileIndex(EngineContext context)
    {
        _context = context;
        _directory = Path.Combine(context.HomeDirectory, "saml", "profiles");
        _cache = new CredentialCache(context.CacheDirectory, context.RefreshMargin, context.UtcNow);
        _sessions = new IdpSessionStore(context.HomeDirectory, context.UtcNow);
    }

    /// <summary>
    /// Adds cache keys to a profile's index, and remembers the user who signed in at <paramref name="endpoint"/>: with
    /// it, the profile's cached credentials are found later without asking the IdP who the user is.
    /// </summary>
    public async Task RecordAsync(string profileName, IEnumerable<string> cacheKeys, Uri? endpoint, string? userName, IReadOnlyList<string> roleArns, CancellationToken cancellationToken)
    {
        var path = PathFor(profileName);
        using var fileLock = await FileLock.AcquireAsync(path + ".lock", _context.LockTimeout, cancellationToken).ConfigureAwait(false);
        var keys = new SortedSet<string>(Read(path, profileName), StringComparer.Ordinal);
        var users = new SortedDictionary<string, LastSignIn>(ReadUsers(path, profileName), StringComparer.Ordinal);
        var before = keys.Count;
        keys.UnionWith(cacheKeys);
        var userChanged = false;
        if (endpoint is not null && !string.IsNullOrWhiteSpace(userName))
        {
            var endpointKey = SamlCredentialBroker.NormalizeEndpoint(endpoint);
            var last = new LastSignIn(userName!.Trim(), roleArns.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToArray());
            userChanged = !users.TryGetValue(endpointKey, out var known) || known.UserName != last.UserName || !known.RoleArns.SequenceEqual(last.RoleArns);
            users[endpointKey] = last;
        }

        if (keys.Count == before && !userChanged && File.Exists(path))
        {
            return;
        }

        try
        {
            SecureFile.WriteAllTextAtomic(path, Serialize(profileName, keys, users), secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AwsLoginException(
                FailureKind.FileError,
                "SamlProfileIndexFileError",
                $"The SAML profile index '{path}' could not be written: {ex.GetType().Name}.",
                path,
                "Check that the AwsLogin folder (AWSLOGIN_HOME, by default ~/.aws/awslogin) is a folder you own and can write to.",
                ex);
        }
    }

    /// <summary>Who last signed in at <paramref name="endpoint"/> for the profile, and for which roles; or null.</summary>
    public LastSignIn? Last(string profileName, Uri endpoint) =>
        ReadUsers(PathFor(profileName), profileName).TryGetValue(SamlCredentialBroker.NormalizeEndpoint(endpoint), out var last) ? last : null;

    /// <summary>Deletes a profile's cached SAML role credentials, its IdP session files and browser profile folders, and its index.</summary>
    public async Task<SamlSignOutResult> SignOutAsync(string profileName, CancellationToken cancellationToken)
    {
        var path = PathFor(profileName);
        int credentials;
        var browserProfiles = 0;
        using (await FileLock.AcquireAsync(path + ".lock", _context.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            credentials = Read(path, profileName).Count(_cache.Remove);

            // A browser sign-in keeps the IdP session in a browser profile folder per (profile, IdP host): the
            // endpoints this profile signed in at name them.
            foreach (var endpoint in ReadUsers(path, profileName).Keys)
            {
                if (Uri.TryCreate(endpoint, UriKind.Absolute, out var url)
                    && TryDeleteFolder(Browser.BrowserSamlProvider.DefaultProfileDirectory(_context.HomeDirectory, profileName, url)))
                {
                    browserProfiles++;
                }
            }

            SecureFile.TryDelete(path);
        }

        var sessions = SessionFiles().Count(file => BelongsTo(file, profileName) && SecureFile.TryDelete(file));
        return new SamlSignOutResult(credentials, sessions + browserProfiles);
    }

    /// <summary>Deletes every profile's cached SAML role credentials, every IdP session file and every browser profile folder.</summary>
    public async Task<SamlSignOutResult> SignOutAllAsync(CancellationToken cancellationToken)
    {
        var credentials = 0;
        foreach (var path in Files(_directory))
        {
            if (ProfileOf(path) is not { } profileName)
            {
                continue;
            }

            using (await FileLock.AcquireAsync(path + ".lock", _context.LockTimeout, cancellationToken).ConfigureAwait(false))
            {
                credentials += Read(path, profileName).Count(_cache.Remove);
                SecureFile.TryDelete(path);
            }
        }

        var sessions = SessionFiles().Count(SecureFile.TryDelete);
        var browserRoot = Path.Combine(_context.HomeDirectory, "saml", "browser");
        var browserProfiles = Directory.Exists(browserRoot) ? Directory.GetDirectories(browserRoot).Count(TryDeleteFolder) : 0;
        return new SamlSignOutResult(credentials, sessions + browserProfiles);
    }

    // A browser that still runs may hold files open: what cannot be deleted now stays, and the folder is kept.
    private static bool TryDeleteFolder(string folder)
    {
        try
        {
            if (!Directory.Exists(folder))
            {
                return false;
            }

            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The profiles with an index, sorted (for completion; reads local files only).</summary>
    public IReadOnlyList<string> ProfileNames() =>
        Files(_directory).Select(ProfileOf).OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();

    private string PathFor(string profileName) =>
        Path.Combine(_directory, CredentialCache.Key(new[] { "v1", "saml-profile", profileName }) + ".json");

    private IEnumerable<string> SessionFiles() => Files(_sessions.Directory);

    private static IEnumerable<string> Files(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json") : Array.Empty<string>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }

    // A session file is the profile's when its name is the key of (profile, the endpoint it records).
    private static bool BelongsTo(string sessionFile, string profileName)
    {
        using var document = TryParse(sessionFile);
        if (document is null
            || !document.RootElement.TryGetProperty("Endpoint", out var endpoint)
            || endpoint.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return string.Equals(Path.GetFileNameWithoutExtension(sessionFile), IdpSessionStore.Key(profileName, uri), StringComparison.Ordinal);
    }

    private string? ProfileOf(string indexFile)
    {
        using var document = TryParse(indexFile);
        if (document is null
            || !document.RootElement.TryGetProperty("ProfileName", out var name)
            || name.ValueKind != JsonValueKind.String
            || name.GetString() is not { Length: > 0 } profileName)
        {
            return null;
        }

        // A file under another name is not one this index wrote.
        return string.Equals(Path.GetFullPath(indexFile), Path.GetFullPath(PathFor(profileName)), StringComparison.Ordinal) ? profileName : null;
    }

    private static IReadOnlyList<string> Read(string path, string profileName)
    {
        using var document = TryParse(path);
        if (document is null
            || !document.RootElement.TryGetProperty("ProfileName", out var name) || name.GetString() != profileName
            || !document.RootElement.TryGetProperty("CredentialKeys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<string>();
        }

        // Only 64-hex-digit keys: a damaged index cannot name a file outside the cache.
        return keys.EnumerateArray()
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!)
            .Where(k => k.Length == 64 && k.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            .ToArray();
    }

    private static Dictionary<string, LastSignIn> ReadUsers(string path, string profileName)
    {
        using var document = TryParse(path);
        var result = new Dictionary<string, LastSignIn>(StringComparer.Ordinal);
        if (document is null
            || !document.RootElement.TryGetProperty("ProfileName", out var name) || name.GetString() != profileName
            || !document.RootElement.TryGetProperty("LastSignIns", out var signIns) || signIns.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var entry in signIns.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object
                || !entry.Value.TryGetProperty("UserName", out var user) || user.ValueKind != JsonValueKind.String || user.GetString() is not { Length: > 0 } userName)
            {
                continue;
            }

            var roles = entry.Value.TryGetProperty("RoleArns", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToArray()
                : Array.Empty<string>();
            result[entry.Name] = new LastSignIn(userName, roles);
        }

        return result;
    }

    private static JsonDocument? TryParse(string path)
    {
        try
        {
            var text = SecureFile.ReadAllTextOrNull(path);
            if (text is null)
            {
                return null;
            }

            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static string Serialize(string profileName, IEnumerable<string> keys, IReadOnlyDictionary<string, LastSignIn> users)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", FormatVersion);
            writer.WriteString("ProfileName", profileName);
            writer.WriteStartArray("CredentialKeys");
            foreach (var key in keys)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("LastSignIns");
            foreach (var user in users)
            {
                writer.WriteStartObject(user.Key);
                writer.WriteString("UserName", user.Value.UserName);
                writer.WriteStartArray("RoleArns");
                foreach (var role in user.Value.RoleArns)
                {
                    writer.WriteStringValue(role);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
