using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// Okta's classic Authentication API, as far as a command-line sign-in needs it: primary authentication
/// (POST /api/v1/authn with user name and password), then, when the sign-in policy asks for MFA, an Okta Verify push
/// (verify, then poll the next link until the user answers) or a TOTP code (verify with passCode). The result is
/// Okta's one-time session token. State and session tokens stay in memory and never reach a message or log.
/// </summary>
internal sealed class OktaAuthnClient
{
    /// <summary>The largest Authentication API answer read (a user with many factors is a few kilobytes).</summary>
    public const int MaxJsonBytes = 256 * 1024;

    private const string PushType = "push";
    private const string TotpType = "token:software:totp";
    private const int MaxPasscodeAttempts = 3;

    private readonly OktaProviderOptions _options;
    private readonly EngineContext _context;
    private readonly OktaHttp _http;
    private readonly Uri _org;
    private readonly string _target;

    public OktaAuthnClient(OktaProviderOptions options, EngineContext context, OktaHttp http, Uri org, string target)
    {
        _options = options;
        _context = context;
        _http = http;
        _org = org;
        _target = target;
    }

    /// <summary>Signs <paramref name="credential"/> in and returns the session token.</summary>
    public async Task<string> AuthenticateAsync(IdpCredential credential, CancellationToken cancellationToken)
    {
        var user = credential.UserName;
        _context.Log.Verbose($"Signing in to Okta at {_org.Host} as {user} (primary authentication).");
        var state = await PostAsync(
            new Uri(_org, "/api/v1/authn"),
            writer =>
            {
                writer.WriteString("username", user);
                writer.WriteString("password", IdpCredential.Reveal(credential.Password));
            },
            user,
            primary: true,
            cancellationToken).ConfigureAwait(false);

        return Status(state) switch
        {
            "SUCCESS" => SessionToken(state),
            "MFA_REQUIRED" => await SecondFactorAsync(state, user, cancellationToken).ConfigureAwait(false),
            var other => throw Unfinished(other, user),
        };
    }

    private async Task<string> SecondFactorAsync(JsonElement state, string user, CancellationToken cancellationToken)
    {
        var stateToken = StateToken(state);
        var factors = Factors(state);
        var push = factors.FirstOrDefault(f => f.Type == PushType && f.Provider == "OKTA");
        var totp = factors.Where(f => f.Type == TotpType && f.Provider is "OKTA" or "GOOGLE").OrderBy(f => f.Provider == "OKTA" ? 0 : 1).FirstOrDefault();
        var enrolled = factors.Select(f => f.Description).Distinct(StringComparer.Ordinal).ToArray();
        var factor = _options.Factor switch
        {
            OktaFactor.Push => push ?? throw OktaErrors.NotEnrolled(_target, user, "an Okta Verify push", enrolled),
            OktaFactor.Totp => totp ?? throw OktaErrors.NotEnrolled(_target, user, "a TOTP code (Okta Verify or Google Authenticator)", enrolled),
            _ => (_options.Passcode is not null ? totp ?? push : push ?? totp)
                ?? throw OktaErrors.NotEnrolled(_target, user, "an Okta Verify push or a TOTP code", enrolled),
        };

        _context.Log.Verbose($"Okta asks {user} for a second factor; using {factor.Description}.");
        return factor.Type == PushType
            ? await PushAsync(factor, stateToken, user, cancellationToken).ConfigureAwait(false)
            : await TotpAsync(factor, stateToken, user, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> TotpAsync(Factor factor, string stateToken, string user, CancellationToken cancellationToken)
    {
        var app = factor.Provider == "GOOGLE" ? "Google Authenticator" : "Okta Verify";
        var passcode = _options.Passcode
            ?? await AskAsync($"Enter the code from {app} for {user} at {_org.Host}", cancellationToken).ConfigureAwait(false)
            ?? throw OktaErrors.NoPasscode(_target, user);

        for (var attempt = 1; ; attempt++)
        {
            JsonElement state;
            try
            {
                state = await PostAsync(
                    factor.Verify,
                    writer =>
                    {
                        writer.WriteString("stateToken", stateToken);
                        writer.WriteString("passCode", Digits(passcode));
                    },
                    user,
                    primary: false,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AwsLoginException ex) when (ex.Code == OktaErrors.PasscodeRejected && attempt < MaxPasscodeAttempts && _options.PasscodeProvider is not null)
            {
                // Okta keeps the transaction open after a wrong code: a typo costs one more prompt, not the password again.
                var again = await AskAsync($"Okta did not accept that code. Enter the current code from {app} for {user} at {_org.Host}", cancellationToken).ConfigureAwait(false);
                if (again is null)
                {
                    throw;
                }

                passcode = again;
                continue;
            }

            return Status(state) == "SUCCESS" ? SessionToken(state) : throw Unfinished(Status(state), user);
        }
    }

    private async Task<string> PushAsync(Factor factor, string stateToken, string user, CancellationToken cancellationToken)
    {
        var interval = PollInterval();
        var clock = Stopwatch.StartNew();
        _context.Log.Verbose($"Sent an Okta Verify push to {user}; waiting up to {_options.PushTimeout.TotalSeconds:0} seconds for the answer.");
        var state = await PostAsync(factor.Verify, writer => writer.WriteString("stateToken", stateToken), user, primary: false, cancellationToken).ConfigureAwait(false);
        string? shownAnswer = null;
        while (true)
        {
            var status = Status(state);
            if (status == "SUCCESS")
            {
                _context.Log.Verbose($"The Okta Verify push was approved after {clock.Elapsed.TotalSeconds:0} seconds.");
                return SessionToken(state);
            }

            if (status != "MFA_CHALLENGE")
            {
                throw Unfinished(status, user);
            }

            stateToken = String(state, "stateToken") ?? stateToken;
            switch (String(state, "factorResult"))
            {
                case "WAITING":
                    break;
                case "REJECTED":
                    throw OktaErrors.Rejected(_target, user);
                case "TIMEOUT":
                    throw OktaErrors.TimedOut(_target, user, null);
                case var other:
                    throw OktaErrors.Status(_target, user, "MFA_CHALLENGE/" + (other ?? "(no factorResult)"));
            }

            // Okta Verify's number challenge: the user must tap the number shown here, so it goes where the user looks.
            if (CorrectAnswer(state) is { } answer && answer != shownAnswer)
            {
                // Without a host (a credential_process), the warning reaches nobody in time: a push the user cannot
                // approve is cancelled rather than left on the phone until it times out.
                if (_options.PasscodeProvider is null)
                {
                    await CancelAsync(state, stateToken).ConfigureAwait(false);
                    throw OktaErrors.NumberUnseen(_target, user);
                }

                shownAnswer = answer;
                _context.Log.Warning($"Okta Verify asks for a number: tap {answer} in Okta Verify on your phone to approve the sign-in of {user}.");
            }

            if (clock.Elapsed + interval > _options.PushTimeout)
            {
                await CancelAsync(state, stateToken).ConfigureAwait(false);
                throw OktaErrors.TimedOut(_target, user, _options.PushTimeout);
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var next = Link(state, "next") ?? throw OktaErrors.NotAuthnApi(_target, "a waiting push has no link to poll");
            var polled = stateToken;
            state = await PostAsync(next, writer => writer.WriteString("stateToken", polled), user, primary: false, cancellationToken).ConfigureAwait(false);
        }
    }

    // Best effort: the push disappears from the phone instead of waiting there for an answer nobody reads.
    private async Task CancelAsync(JsonElement state, string stateToken)
    {
        if (Link(state, "cancel", required: false) is not { } cancel)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var request = JsonRequest(cancel, writer => writer.WriteString("stateToken", stateToken));
            await _http.SendAsync(request, OktaHttp.MaxErrorBytes, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsLoginException or OperationCanceledException)
        {
            _context.Log.Verbose("Okta did not take the cancellation of the push (" + ex.GetType().Name + ").");
        }
    }

    private async Task<JsonElement> PostAsync(Uri url, Action<Utf8JsonWriter> write, string user, bool primary, CancellationToken cancellationToken)
    {
        OktaAnswer answer;
        using (var request = JsonRequest(url, write))
        {
            answer = await _http.SendAsync(request, MaxJsonBytes, cancellationToken).ConfigureAwait(false);
        }

        JsonElement? json = null;
        if (answer.IsJson && answer.Body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(answer.Body);
                json = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        if (answer.Status == 429)
        {
            throw OktaErrors.Throttled(_target);
        }

        if (answer.Status == 200)
        {
            return json ?? throw OktaErrors.NotAuthnApi(_target, answer.IsJson ? "the answer is not a JSON object" : $"the answer is {answer.ContentType ?? "untyped"}, not JSON");
        }

        // Okta's error shape: errorCode, errorSummary, errorLink, errorId, errorCauses[].errorSummary.
        var code = json is { } error ? String(error, "errorCode") : null;
        var summary = json is { } withSummary ? Cause(withSummary) ?? String(withSummary, "errorSummary") : null;
        throw code switch
        {
            "E0000004" when primary => OktaErrors.Authentication(_target, user),
            "E0000011" => OktaErrors.TransactionTimedOut(_target, user),
            "E0000047" => OktaErrors.Throttled(_target),
            "E0000068" => OktaErrors.WrongPasscode(_target, user, summary),
            "E0000069" => OktaErrors.Locked(_target, user),
            _ when code is null && !answer.IsJson => OktaErrors.Api(_target, answer.Status, null, answer.Reason),
            _ => OktaErrors.Api(_target, answer.Status, code, summary),
        };
    }

    private static HttpRequestMessage JsonRequest(Uri url, Action<Utf8JsonWriter> write)
    {
        byte[] body;
        using (var stream = new MemoryStream())
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }

            body = stream.ToArray();

            // The buffer held the password or passcode: clear it rather than leave it to the collector.
            var buffer = stream.GetBuffer();
            Array.Clear(buffer, 0, buffer.Length);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private AwsLoginException Unfinished(string status, string user) => status switch
    {
        "LOCKED_OUT" => OktaErrors.Locked(_target, user),
        "PASSWORD_EXPIRED" => OktaErrors.Expired(_target, user),
        "MFA_ENROLL" or "MFA_ENROLL_ACTIVATE" => OktaErrors.EnrollRequired(_target, user),
        _ => OktaErrors.Status(_target, user, status),
    };

    private string Status(JsonElement state) =>
        String(state, "status") ?? throw OktaErrors.NotAuthnApi(_target, "the answer has no status");

    private string SessionToken(JsonElement state) =>
        String(state, "sessionToken") is { Length: > 0 } token ? token : throw OktaErrors.NotAuthnApi(_target, "status SUCCESS came without a session token");

    private string StateToken(JsonElement state) =>
        String(state, "stateToken") is { Length: > 0 } token ? token : throw OktaErrors.NotAuthnApi(_target, "status MFA_REQUIRED came without a state token");

    private List<Factor> Factors(JsonElement state)
    {
        var factors = new List<Factor>();
        if (state.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object
            && embedded.TryGetProperty("factors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && String(item, "factorType") is { } type && Link(item, "verify", required: false) is { } verify)
                {
                    factors.Add(new Factor(type, String(item, "provider") ?? string.Empty, verify));
                }
            }
        }

        return factors;
    }

    /// <summary>A link of an Authentication API answer; it must point at the org (state tokens go nowhere else).</summary>
    private Uri? Link(JsonElement element, string name, bool required = true)
    {
        if (!element.TryGetProperty("_links", out var links) || links.ValueKind != JsonValueKind.Object
            || !links.TryGetProperty(name, out var link) || link.ValueKind != JsonValueKind.Object
            || String(link, "href") is not { } href)
        {
            return null;
        }

        if (!Uri.TryCreate(href, UriKind.Absolute, out var url))
        {
            return required ? throw OktaErrors.NotAuthnApi(_target, $"its '{name}' link is not a URL") : null;
        }

        if (!OktaSamlProvider.SameOrigin(url, _org))
        {
            throw OktaErrors.OffOrg(_target, url.GetLeftPart(UriPartial.Authority));
        }

        return url;
    }

    private static string? CorrectAnswer(JsonElement state)
    {
        if (state.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object
            && embedded.TryGetProperty("factor", out var factor) && factor.ValueKind == JsonValueKind.Object
            && factor.TryGetProperty("_embedded", out var factorEmbedded) && factorEmbedded.ValueKind == JsonValueKind.Object
            && factorEmbedded.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.Object
            && challenge.TryGetProperty("correctAnswer", out var answer))
        {
            return answer.ValueKind switch
            {
                JsonValueKind.Number when answer.TryGetInt32(out var number) => number.ToString(CultureInfo.InvariantCulture),
                JsonValueKind.String when answer.GetString() is { Length: > 0 and <= 8 } text && text.All(char.IsDigit) => text,
                _ => null,
            };
        }

        return null;
    }

    private static string? Cause(JsonElement error)
    {
        if (error.TryGetProperty("errorCauses", out var causes) && causes.ValueKind == JsonValueKind.Array)
        {
            foreach (var cause in causes.EnumerateArray())
            {
                if (cause.ValueKind == JsonValueKind.Object && String(cause, "errorSummary") is { Length: > 0 } summary)
                {
                    return summary;
                }
            }
        }

        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private TimeSpan PollInterval()
    {
        if (_options.PushPollInterval is { } given)
        {
            return given;
        }

        var configured = _context.Environment.Get(OktaProviderOptions.PushPollIntervalVariable);
        if (configured is not null
            && double.TryParse(configured.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0.01 and <= 60)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return OktaProviderOptions.DefaultPushPollInterval;
    }

    private async Task<SecureString?> AskAsync(string message, CancellationToken cancellationToken)
    {
        if (_options.PasscodeProvider is not { } ask)
        {
            return null;
        }

        var answer = await ask(message, cancellationToken).ConfigureAwait(false);
        return answer is null || answer.Length == 0 ? null : answer;
    }

    // Authenticator apps show codes as "123 456"; Okta takes the digits.
    private static string Digits(SecureString passcode) =>
        new(IdpCredential.Reveal(passcode).Where(c => !char.IsWhiteSpace(c)).ToArray());

    private sealed class Factor
    {
        public Factor(string type, string provider, Uri verify)
        {
            Type = type;
            Provider = provider;
            Verify = verify;
        }

        public string Type { get; }

        public string Provider { get; }

        public Uri Verify { get; }

        public string Description => (Type, Provider) switch
        {
            (PushType, "OKTA") => "an Okta Verify push",
            (TotpType, "OKTA") => "an Okta Verify code (TOTP)",
            (TotpType, "GOOGLE") => "a Google Authenticator code (TOTP)",
            _ => $"{SamlErrors.Sanitize(Type)} ({SamlErrors.Sanitize(Provider)})",
        };
    }
}
