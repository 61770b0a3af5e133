using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Console;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>
/// Signs in through the user's own Chromium-family browser, so every MFA the IdP offers works (Duo Universal Prompt,
/// passkeys, number matching) without provider-specific code. The browser starts with a private profile folder kept
/// per profile name and IdP host (so the IdP session persists) and remote debugging on 127.0.0.1; over the Chrome
/// DevTools Protocol every page intercepts requests to AWS's SAML endpoints, the IdP page is opened, and the form the
/// IdP posts to AWS is answered locally: AWS never sees it, SAMLResponse is read from it, and the browser is closed.
/// The assertion stays in memory; nothing in the profile folder is deleted.
/// </summary>
internal sealed class BrowserSamlProvider : ISamlAssertionProvider
{
    /// <summary>The users earlier sign-ins were issued for, per IdP endpoint, in the profile folder (0600).</summary>
    public const string KnownUsersFile = "AwsLogin-users.json";

    /// <summary>Serialises sign-ins that use one profile folder (a browser locks its profile folder).</summary>
    public const string LockFile = "AwsLogin.lock";

    /// <summary>
    /// The browser's HTTP cache for one sign-in, deleted afterwards: an IdP page that allows caching would otherwise
    /// leave the assertion it carries in the profile's cache.
    /// </summary>
    public const string CacheFolder = "AwsLogin-cache";

    private const int KnownUsersVersion = 1;

    private static readonly TimeSpan s_startupLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_pageShowWait = TimeSpan.FromSeconds(3);

    private readonly BrowserProviderOptions _options;
    private readonly EngineContext _context;
    private readonly ChromiumLocator _locator;
    private readonly string _target;

    public BrowserSamlProvider(BrowserProviderOptions options, EngineContext context, ChromiumLocator? locator = null)
    {
        _options = options;
        _context = context;
        _target = options.EndpointUrl.ToString();
        var url = options.EndpointUrl;
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw SamlErrors.Insecure(_target);
        }

        _locator = locator ?? new ChromiumLocator(BrowserLauncher.CurrentPlatform(), context.Environment);
        ProfileDirectory = Path.GetFullPath(options.ProfileDirectory ?? DefaultProfileDirectory(context.HomeDirectory, options.ProfileName, url));
    }

    public string Name => "Browser";

    public Uri Endpoint => _options.EndpointUrl;

    /// <summary>The browser's profile folder (its --user-data-dir).</summary>
    public string ProfileDirectory { get; }

    /// <summary>The user an earlier sign-in at this endpoint with this profile folder was issued for; the IdP decides the next.</summary>
    public string? KnownUserName => ReadKnownUsers().TryGetValue(SamlCredentialBroker.NormalizeEndpoint(Endpoint), out var user) ? user : null;

    /// <summary>The default profile folder: one per profile name and IdP host, under the AwsLogin home.</summary>
    public static string DefaultProfileDirectory(string homeDirectory, string profileName, Uri endpoint) =>
        Path.Combine(homeDirectory, "saml", "browser", CredentialCache.Key(new[] { "v1", "browser-profile", profileName, endpoint.Host.ToLowerInvariant() }).Substring(0, 16));

    public async Task<SamlSignInResult> SignInAsync(CancellationToken cancellationToken)
    {
        if (_options.SkipCertificateCheck)
        {
            _context.Log.Warning($"SkipCertificateCheck is set: the browser accepts ANY TLS certificate, for the identity provider at '{_target}' and every other site it opens during the sign-in. Anyone on the network path can read what you type there and hand back a forged assertion. Use this only with a test IdP.");
        }

        var program = _locator.Locate(_options.BrowserPath);
        try
        {
            SecureFile.EnsureDirectory(ProfileDirectory, secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ProfileError(ex);
        }

        using var profileLock = await FileLock.AcquireAsync(Path.Combine(ProfileDirectory, LockFile), _context.LockTimeout, cancellationToken).ConfigureAwait(false);

        // A port file left by an earlier browser would point at a port nobody listens on any more.
        SecureFile.TryDelete(Path.Combine(ProfileDirectory, ChromiumProcess.ActivePortFile));
        var cache = Path.Combine(ProfileDirectory, CacheFolder);
        DeleteCache(cache);

        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var arguments = ChromiumProcess.Arguments(ProfileDirectory, cache, _options.Headless, ChromiumProcess.NeedsNoSandbox(), _options.SkipCertificateCheck);
        _context.Log.Verbose($"Starting the browser {program}{(_options.Headless ? " headless" : string.Empty)} with the profile folder {ProfileDirectory}.");
        ChromiumProcess? browser = null;
        CdpConnection? cdp = null;
        SamlAssertion assertion;
        try
        {
            browser = ChromiumProcess.Start(program, arguments);
            var devTools = await browser.WaitForDevToolsAsync(ProfileDirectory, s_startupLimit < _options.Timeout ? s_startupLimit : _options.Timeout, linked.Token).ConfigureAwait(false);
            _context.Log.Verbose($"The browser (process {browser.Id.ToString(CultureInfo.InvariantCulture)}) accepts DevTools connections on 127.0.0.1:{devTools.Port.ToString(CultureInfo.InvariantCulture)}.");
            try
            {
                cdp = await CdpConnection.ConnectAsync(devTools, linked.Token).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                throw SamlErrors.BrowserProblem(program, "its DevTools endpoint refused the connection: " + ex.Message, inner: ex);
            }

            assertion = await WatchAsync(cdp, program, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SamlErrors.BrowserTimeout(_target, _options.Timeout, _options.Headless);
        }
        catch (CdpClosedException) when (!cancellationToken.IsCancellationRequested)
        {
            throw SamlErrors.BrowserClosedEarly(_target);
        }
        catch (CdpException ex)
        {
            throw SamlErrors.BrowserProblem(program, "it refused a DevTools command: " + ex.Message, inner: ex);
        }
        finally
        {
            await CloseAsync(cdp, browser).ConfigureAwait(false);
            DeleteCache(cache);
        }

        var userName = FirstNonEmpty(assertion.RoleSessionName, assertion.Subject) ?? Endpoint.Host;
        RecordKnownUser(userName);
        _context.Log.Verbose($"Signed in to {_target} as {userName}: the assertion grants {assertion.Roles.Count} role(s).");
        return new SamlSignInResult(assertion, userName);
    }

    // Every page (the first, and any the IdP opens) intercepts requests to AWS's SAML endpoints before they are sent;
    // new pages wait for that (waitForDebuggerOnStart). The IdP page is opened once the first page intercepts.
    private async Task<SamlAssertion> WatchAsync(CdpConnection cdp, string program, CancellationToken cancellationToken)
    {
        var patterns = SamlFormPost.UrlPatterns(_options.AssertionConsumerServiceUrl);
        var pages = new HashSet<string>(StringComparer.Ordinal);
        var opened = false;
        Task<JsonElement>? navigation = null;
        Task<CdpEvent>? nextEvent = null;
        Paused.Posted? posted = null;
        var pageShownBy = DateTime.MaxValue;

        await cdp.SendAsync("Target.setAutoAttach", writer =>
        {
            writer.WriteBoolean("autoAttach", true);
            writer.WriteBoolean("waitForDebuggerOnStart", true);
            writer.WriteBoolean("flatten", true);
        }, null, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            nextEvent ??= cdp.NextEventAsync(cancellationToken);
            if (posted is not null)
            {
                // The form is answered; the page that says so gets a moment to show, then the browser is closed.
                var remaining = pageShownBy - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero
                    || await Task.WhenAny(nextEvent, Task.Delay(remaining, cancellationToken)).ConfigureAwait(false) != nextEvent
                    || nextEvent.IsFaulted)
                {
                    return posted.Result();
                }
            }
            else if (navigation is not null)
            {
                // Page.navigate answers only once the page commits, which may wait for an intercepted request.
                if (await Task.WhenAny(nextEvent, navigation).ConfigureAwait(false) == navigation)
                {
                    CheckNavigation(navigation, program);
                    navigation = null;
                    continue;
                }
            }

            var next = await nextEvent.ConfigureAwait(false);
            nextEvent = null;
            switch (next.Method)
            {
                case "Target.attachedToTarget":
                    var sessionId = String(next.Parameters, "sessionId");
                    if (sessionId is null)
                    {
                        break;
                    }

                    var type = next.Parameters.TryGetProperty("targetInfo", out var info) ? String(info, "type") : null;
                    if (type == "page" && await TryAsync(() => cdp.SendAsync("Fetch.enable", writer => WritePatterns(writer, patterns), sessionId, cancellationToken)).ConfigureAwait(false))
                    {
                        pages.Add(sessionId);
                        if (!opened)
                        {
                            opened = true;
                            _context.Log.Verbose($"Opening {_target} in the browser; waiting up to {_options.Timeout.TotalSeconds:0} seconds for the sign-in to reach AWS.");
                            navigation = cdp.SendAsync("Page.navigate", writer => writer.WriteString("url", Endpoint.AbsoluteUri), sessionId, cancellationToken);
                        }
                    }

                    if (next.Parameters.TryGetProperty("waitingForDebugger", out var waiting) && waiting.ValueKind == JsonValueKind.True)
                    {
                        await TryAsync(() => cdp.SendAsync("Runtime.runIfWaitingForDebugger", null, sessionId, cancellationToken)).ConfigureAwait(false);
                    }

                    break;

                case "Target.detachedFromTarget":
                    if (String(next.Parameters, "sessionId") is { } detached && pages.Remove(detached) && pages.Count == 0)
                    {
                        if (posted is not null)
                        {
                            return posted.Result();
                        }

                        // Every page is closed (a macOS browser keeps running without windows).
                        throw new CdpClosedException("Every browser page was closed.");
                    }

                    break;

                case "Fetch.requestPaused":
                    var outcome = await OnRequestPausedAsync(cdp, next, posted, cancellationToken).ConfigureAwait(false);
                    if (outcome == Paused.PageShown && posted is not null)
                    {
                        return posted.Result();
                    }

                    if (outcome is Paused.Posted posting)
                    {
                        posted ??= posting;
                        pageShownBy = DateTime.UtcNow + s_pageShowWait;
                    }

                    break;
            }
        }
    }

    // The form posted to AWS is answered with a redirect (POST-redirect-GET): a browser keeps the body of a POST that
    // ends a navigation in its session files for restoring tabs, and that body is the assertion. The GET it follows
    // is answered with a page that says how the sign-in went.
    private async Task<Paused?> OnRequestPausedAsync(CdpConnection cdp, CdpEvent paused, Paused.Posted? posted, CancellationToken cancellationToken)
    {
        var requestId = String(paused.Parameters, "requestId");
        if (requestId is null || !paused.Parameters.TryGetProperty("request", out var request))
        {
            return null;
        }

        var url = String(request, "url") ?? string.Empty;
        var method = String(request, "method");
        if (!SamlFormPost.IsConsumer(url, _options.AssertionConsumerServiceUrl) || (method != "POST" && (method != "GET" || posted is null)))
        {
            await TryAsync(() => cdp.SendAsync("Fetch.continueRequest", writer => writer.WriteString("requestId", requestId), paused.SessionId, cancellationToken)).ConfigureAwait(false);
            return null;
        }

        var consumer = new Uri(url).GetLeftPart(UriPartial.Path);
        if (method == "GET")
        {
            await FulfillAsync(cdp, requestId, paused.SessionId, 200, null, posted!.Failure is null
                ? "Signed in to AWS. You can close this window."
                : "AwsLogin could not use this sign-in; PowerShell shows why. You can close this window.", cancellationToken).ConfigureAwait(false);
            return Paused.PageShown;
        }

        _context.Log.Verbose($"Intercepted the form the identity provider posts to {consumer}; answering it locally.");
        Paused.Posted result;
        try
        {
            result = new Paused.Posted(ReadAssertion(request), null);
        }
        catch (AwsLoginException ex)
        {
            result = new Paused.Posted(null, ex);
        }

        try
        {
            await FulfillAsync(cdp, requestId, paused.SessionId, 303, consumer + "?awslogin=" + (result.Failure is null ? "signed-in" : "failed"), null, cancellationToken).ConfigureAwait(false);
        }
        catch (CdpClosedException)
        {
            // Closed just now: the assertion (or why it cannot be used) is in hand all the same.
        }

        return result;
    }

    private SamlAssertion ReadAssertion(JsonElement request)
    {
        var mediaType = SamlFormPost.MediaType(request);
        if (mediaType is not null && mediaType != "application/x-www-form-urlencoded")
        {
            throw SamlErrors.NotSaml(_target, $"the form posted to AWS is '{SamlErrors.Sanitize(mediaType)}', not application/x-www-form-urlencoded");
        }

        var body = SamlFormPost.Body(request) ?? throw SamlErrors.NotSaml(_target, "the browser did not pass on the body of the form posted to AWS");
        string? response;
        try
        {
            response = SamlFormPost.Field(body, SamlFormPost.ResponseField);
        }
        finally
        {
            Array.Clear(body, 0, body.Length);
        }

        if (string.IsNullOrEmpty(response))
        {
            throw SamlErrors.NotSaml(_target, "the form posted to AWS holds no SAMLResponse");
        }

        return SamlResponseReader.FromBase64(response!, _target, _context.Log);
    }

    private void CheckNavigation(Task<JsonElement> navigation, string program)
    {
        JsonElement result;
        try
        {
            result = navigation.GetAwaiter().GetResult();
        }
        catch (CdpException ex)
        {
            throw SamlErrors.BrowserProblem(program, "it could not open the identity provider's page: " + ex.Message, inner: ex);
        }

        // ERR_ABORTED: the page was replaced before it committed (an IdP that redirects or posts at once).
        var error = result.ValueKind == JsonValueKind.Object ? String(result, "errorText") : null;
        if (!string.IsNullOrEmpty(error) && error != "net::ERR_ABORTED")
        {
            throw SamlErrors.Unreachable(_target, $"the browser could not open it ({SamlErrors.Sanitize(error!)}).", null);
        }
    }

    private static Task FulfillAsync(CdpConnection cdp, string requestId, string? sessionId, int status, string? location, string? text, CancellationToken cancellationToken)
    {
        var html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>AwsLogin</title></head><body><p>" + (text ?? string.Empty) + "</p></body></html>";
        return TryAsync(() => cdp.SendAsync("Fetch.fulfillRequest", writer =>
        {
            writer.WriteString("requestId", requestId);
            writer.WriteNumber("responseCode", status);
            writer.WriteStartArray("responseHeaders");
            Header(writer, "Content-Type", "text/html; charset=utf-8");
            Header(writer, "Cache-Control", "no-store");
            if (location is not null)
            {
                Header(writer, "Location", location);
            }

            writer.WriteEndArray();
            writer.WriteString("body", Convert.ToBase64String(Encoding.UTF8.GetBytes(html)));
        }, sessionId, cancellationToken));
    }

    private static void Header(Utf8JsonWriter writer, string name, string value)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("value", value);
        writer.WriteEndObject();
    }

    private async Task CloseAsync(CdpConnection? cdp, ChromiumProcess? browser)
    {
        if (browser is null)
        {
            return;
        }

        try
        {
            if (cdp is not null && !browser.HasExited)
            {
                // A clean close writes the IdP's cookies to the profile; a killed browser may lose them.
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await cdp.SendAsync("Browser.close", null, null, closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is CdpException or CdpClosedException or OperationCanceledException)
        {
            // Closing anyway: the browser is ended below if it does not exit by itself.
        }
        finally
        {
            cdp?.Dispose();
            await browser.EndAsync(s_closeWait).ConfigureAwait(false);
            browser.Dispose();
            _context.Log.Verbose("Closed the browser.");
        }
    }

    private void DeleteCache(string cache)
    {
        for (var attempt = 1; Directory.Exists(cache); attempt++)
        {
            try
            {
                Directory.Delete(cache, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A browser helper that has not quite exited may still hold a file (Windows).
                if (attempt == 5)
                {
                    _context.Log.Warning($"The browser's cache folder '{cache}' could not be deleted ({ex.GetType().Name}); it is deleted at the next sign-in with this profile.");
                    return;
                }

                Thread.Sleep(200 * attempt);
            }
        }
    }

    private Dictionary<string, string> ReadKnownUsers()
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        string? text;
        try
        {
            text = SecureFile.ReadAllTextOrNull(Path.Combine(ProfileDirectory, KnownUsersFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return users;
        }

        if (text is null)
        {
            return users;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Version", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number) && number == KnownUsersVersion
                && root.TryGetProperty("Users", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString() is { Length: > 0 } user)
                    {
                        users[entry.Name] = user;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A damaged file only means the next sign-in goes to the IdP; it is rewritten then.
        }

        return users;
    }

    // The user name is not secret; it lets the next call find cached role credentials without starting the browser.
    private void RecordKnownUser(string userName)
    {
        var users = ReadKnownUsers();
        users[SamlCredentialBroker.NormalizeEndpoint(Endpoint)] = userName;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", KnownUsersVersion);
            writer.WriteStartObject("Users");
            foreach (var pair in users.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        try
        {
            SecureFile.WriteAllTextAtomic(Path.Combine(ProfileDirectory, KnownUsersFile), Encoding.UTF8.GetString(buffer.ToArray()), secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _context.Log.Warning($"The signed-in user could not be recorded in the browser profile folder ({ex.GetType().Name}); the next sign-in opens the browser even when role credentials are cached.");
        }
    }

    private AwsLoginException ProfileError(Exception ex) => new(
        FailureKind.FileError,
        "IdpSessionFileError",
        $"The browser profile folder '{ProfileDirectory}' could not be created: {ex.GetType().Name}.",
        ProfileDirectory,
        "Check that the AwsLogin folder (AWSLOGIN_HOME, by default ~/.aws/awslogin) is a folder you own and can write to.",
        ex);

    private static void WritePatterns(Utf8JsonWriter writer, IReadOnlyList<string> patterns)
    {
        writer.WriteStartArray("patterns");
        foreach (var pattern in patterns)
        {
            writer.WriteStartObject();
            writer.WriteString("urlPattern", pattern);
            writer.WriteString("requestStage", "Request");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // A command for a target that has just gone away fails; that is no reason to stop watching the others.
    private static async Task<bool> TryAsync(Func<Task<JsonElement>> command)
    {
        try
        {
            await command().ConfigureAwait(false);
            return true;
        }
        catch (CdpException)
        {
            return false;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))?.Trim();

    /// <summary>What an intercepted request was.</summary>
    private abstract class Paused
    {
        /// <summary>The GET after the redirect, answered with the closing page.</summary>
        public static readonly Paused PageShown = new Shown();

        /// <summary>The form posted to AWS: the assertion, or why it cannot be used.</summary>
        public sealed class Posted : Paused
        {
            public Posted(SamlAssertion? assertion, AwsLoginException? failure)
            {
                Assertion = assertion;
                Failure = failure;
            }

            public SamlAssertion? Assertion { get; }

            public AwsLoginException? Failure { get; }

            public SamlAssertion Result() => Assertion ?? throw Failure!;
        }

        private sealed class Shown : Paused
        {
        }
    }
}
