using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;

namespace AwsLogin.Engine.Saml;

/// <summary>An identity provider's session: the cookies it set, for the user they belong to.</summary>
internal sealed class IdpSession
{
    public IdpSession(string userName, IReadOnlyList<Cookie> cookies)
    {
        UserName = userName;
        Cookies = cookies;
    }

    public string UserName { get; }

    public IReadOnlyList<Cookie> Cookies { get; }

    /// <summary>A cookie container holding the session's cookies for <paramref name="site"/>, to send them back there.</summary>
    public CookieContainer ToContainer(Uri site)
    {
        var container = new CookieContainer();
        foreach (var cookie in Cookies)
        {
            try
            {
                container.Add(site, cookie);
            }
            catch (CookieException)
            {
                // A cookie the site would not accept is one it would never have been sent anyway.
            }
        }

        return container;
    }

    public override string ToString() => $"IdP session of {UserName} ({Cookies.Count} cookie(s), {Mask.Hidden})";
}

/// <summary>
/// IdP session cookies kept between sign-ins, one 0600 JSON file per (profile, IdP endpoint) in a 0700 folder under the
/// AwsLogin home, written atomically. Cookies are bearer secrets for the IdP session: only this store reads them, and
/// only to send them back to the endpoint that set them.
/// </summary>
internal sealed class IdpSessionStore
{
    private const int FormatVersion = 1;

    private readonly string _directory;
    private readonly Func<DateTime> _utcNow;

    public IdpSessionStore(string homeDirectory, Func<DateTime> utcNow)
    {
        _directory = Path.Combine(homeDirectory, "saml", "sessions");
        _utcNow = utcNow;
    }

    public string Directory => _directory;

    /// <summary>The key of a profile's session with an endpoint (a hash; neither appears in the file name).</summary>
    public static string Key(string profileName, Uri endpoint) =>
        Cache.CredentialCache.Key(new[] { "v1", "idp-session", profileName, SamlCredentialBroker.NormalizeEndpoint(endpoint) });

    public string PathFor(string key) => Path.Combine(_directory, key + ".json");

    /// <summary>Serialises sign-ins of one session across processes (one Duo push, not one per process).</summary>
    public Task<FileLock> LockAsync(string key, TimeSpan timeout, CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(Path.Combine(_directory, key + ".lock"), timeout, cancellationToken);

    /// <summary>The saved session with its unexpired cookies, or null (missing, damaged, or for another endpoint).</summary>
    public IdpSession? Load(string key, Uri endpoint)
    {
        string? text;
        try
        {
            text = SecureFile.ReadAllTextOrNull(PathFor(key));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            text = null;
        }

        return text is null ? null : Deserialize(text, endpoint);
    }

    /// <summary>Saves the session; with no cookies, deletes it.</summary>
    public void Save(string key, Uri endpoint, IdpSession session)
    {
        if (session.Cookies.Count == 0)
        {
            Delete(key);
            return;
        }

        var path = PathFor(key);
        try
        {
            SecureFile.WriteAllTextAtomic(path, Serialize(endpoint, session), secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AwsLoginException(
                FailureKind.FileError,
                "IdpSessionFileError",
                $"The IdP session file '{path}' could not be written: {ex.GetType().Name}.",
                path,
                "Check that the AwsLogin folder (AWSLOGIN_HOME, by default ~/.aws/awslogin) is a folder you own and can write to.",
                ex);
        }
    }

    public bool Delete(string key) => SecureFile.TryDelete(PathFor(key));

    /// <summary>
    /// The sign-in every cookie-keeping provider does: under the session's lock (concurrent callers wait, then reuse
    /// the new session), the saved session first when it is <paramref name="wantedUser"/>'s; when there is none or it
    /// has ended (<paramref name="trySession"/> returns null), <paramref name="signInOtherwise"/> with the saved
    /// session (for its user name) and whether it ended.
    /// </summary>
    public async Task<SamlSignInResult> SignInAsync(
        string key,
        Uri endpoint,
        string? wantedUser,
        EngineContext context,
        Func<IdpSession, Task<SamlSignInResult?>> trySession,
        Func<IdpSession?, bool, Task<SamlSignInResult>> signInOtherwise,
        CancellationToken cancellationToken)
    {
        using var sessionLock = await LockAsync(key, context.LockTimeout, cancellationToken).ConfigureAwait(false);
        var saved = Load(key, endpoint);
        if (saved is not null && wantedUser is not null && !string.Equals(saved.UserName.Trim(), wantedUser.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            context.Log.Verbose($"The saved IdP session is {saved.UserName}'s; signing in as {wantedUser} instead.");
            saved = null;
        }

        var sessionEnded = false;
        if (saved is not null)
        {
            if (await trySession(saved).ConfigureAwait(false) is { } fromSession)
            {
                return fromSession;
            }

            sessionEnded = true;
            Delete(key);
        }

        return await signInOtherwise(saved, sessionEnded).ConfigureAwait(false);
    }

    private string Serialize(Uri endpoint, IdpSession session)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", FormatVersion);
            writer.WriteString("Endpoint", SamlCredentialBroker.NormalizeEndpoint(endpoint));
            writer.WriteString("UserName", session.UserName);
            writer.WriteString("SavedAt", Iso(_utcNow()));
            writer.WriteStartArray("Cookies");
            foreach (var cookie in session.Cookies)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", cookie.Name);
                writer.WriteString("Value", cookie.Value);
                writer.WriteString("Path", string.IsNullOrEmpty(cookie.Path) ? "/" : cookie.Path);
                if (cookie.Expires != DateTime.MinValue)
                {
                    writer.WriteString("Expires", Iso(cookie.Expires.ToUniversalTime()));
                }

                writer.WriteBoolean("Secure", cookie.Secure);
                writer.WriteBoolean("HttpOnly", cookie.HttpOnly);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // A damaged or foreign file is no session: the user signs in with a password and the file is replaced.
    private IdpSession? Deserialize(string text, Uri endpoint)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != FormatVersion
                || String(root, "Endpoint") != SamlCredentialBroker.NormalizeEndpoint(endpoint)
                || String(root, "UserName") is not { Length: > 0 } userName
                || !root.TryGetProperty("Cookies", out var cookies) || cookies.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var now = _utcNow();
            var list = new List<Cookie>();
            foreach (var item in cookies.EnumerateArray())
            {
                if (String(item, "Name") is not { Length: > 0 } name || String(item, "Value") is not { } value)
                {
                    continue;
                }

                var cookie = new Cookie(name, value, String(item, "Path") ?? "/")
                {
                    Secure = item.TryGetProperty("Secure", out var secure) && secure.ValueKind == JsonValueKind.True,
                    HttpOnly = item.TryGetProperty("HttpOnly", out var httpOnly) && httpOnly.ValueKind == JsonValueKind.True,
                };
                if (String(item, "Expires") is { } expiresText)
                {
                    var expires = DateTime.ParseExact(expiresText, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    if (expires <= now)
                    {
                        continue;
                    }

                    cookie.Expires = expires;
                }

                list.Add(cookie);
            }

            return list.Count == 0 ? null : new IdpSession(userName, list);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or CookieException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
