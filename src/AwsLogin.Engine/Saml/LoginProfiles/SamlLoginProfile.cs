using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml.LoginProfiles;

/// <summary>The ways of getting a SAML assertion.</summary>
public enum SamlProviderKind
{
    Ecp,
    Adfs,
    Okta,
    Browser,
}

/// <summary>
/// The SAML sign-in settings of one AWS profile, kept in the shared config file beside the profile's other settings
/// under <c>awslogin_saml_*</c> keys (other AWS tools ignore keys they do not know), with a credential_process line
/// that runs this module. The same record carries the settings of a sign-in given on the command line.
/// </summary>
public sealed record SamlLoginProfile
{
    public const string KeyPrefix = "awslogin_saml_";
    public const string ProviderKey = KeyPrefix + "provider";
    public const string EndpointUrlKey = KeyPrefix + "endpoint_url";
    public const string UserNameKey = KeyPrefix + "username";
    public const string RoleArnKey = KeyPrefix + "role_arn";
    public const string DurationSecondsKey = KeyPrefix + "duration_seconds";
    public const string FactorKey = KeyPrefix + "factor";
    public const string DuoFactorHeaderKey = KeyPrefix + "duo_factor_header";
    public const string DuoPasscodeHeaderKey = KeyPrefix + "duo_passcode_header";
    public const string VerifySslKey = KeyPrefix + "verify_ssl";
    public const string VaultKey = KeyPrefix + "vault";
    public const string PasswordKey = KeyPrefix + "password";
    public const string BrowserPathKey = KeyPrefix + "browser_path";
    public const string HeadlessKey = KeyPrefix + "headless";
    public const string UseDefaultCredentialsKey = KeyPrefix + "use_default_credentials";

    private static readonly string[] s_ecpFactors = { "auto", "push", "passcode", "sms", "phone" };
    private static readonly string[] s_oktaFactors = { "auto", "push", "totp" };

    public SamlLoginProfile(string profileName, SamlProviderKind provider, Uri endpointUrl)
    {
        ProfileName = profileName ?? throw new ArgumentNullException(nameof(profileName));
        Provider = provider;
        EndpointUrl = endpointUrl ?? throw new ArgumentNullException(nameof(endpointUrl));
    }

    /// <summary>The AWS profile the settings belong to (also the name the IdP session and cached credentials are kept under).</summary>
    public string ProfileName { get; init; }

    public SamlProviderKind Provider { get; init; }

    /// <summary>The IdP endpoint: ECP endpoint, ADFS sign-on page, Okta app embed link, or the start page for a browser.</summary>
    public Uri EndpointUrl { get; init; }

    public string? UserName { get; init; }

    /// <summary>The SAML role to assume; null takes the only role the assertion grants.</summary>
    public string? RoleArn { get; init; }

    public int? DurationSeconds { get; init; }

    /// <summary>The second factor, lower case: ECP auto|push|passcode|sms|phone, Okta auto|push|totp.</summary>
    public string? Factor { get; init; }

    public string? DuoFactorHeader { get; init; }

    public string? DuoPasscodeHeader { get; init; }

    /// <summary>Accept any TLS certificate from the IdP (stored as verify_ssl = false; warned about on every use).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>The SecretManagement vault that keeps the IdP password.</summary>
    public string? Vault { get; init; }

    /// <summary>A password kept in plain text in the config file (read only; never written by AwsLogin).</summary>
    public string? PlainPassword { get; init; }

    public string? BrowserPath { get; init; }

    public bool Headless { get; init; }

    public bool UseDefaultCredentials { get; init; }

    /// <summary>The profile's region (the standard region key): where STS is called.</summary>
    public string? Region { get; init; }

    /// <summary>The profile's credential_process line, when it has one.</summary>
    public string? CredentialProcess { get; init; }

    /// <summary>True when <paramref name="profile"/> holds SAML sign-in settings.</summary>
    public static bool IsLoginProfile(ConfigProfile profile) =>
        profile.Values.Keys.Any(key => key.StartsWith(KeyPrefix, StringComparison.Ordinal));

    /// <summary>Reads the settings of <paramref name="profile"/>; null when it has none, an error when they are invalid.</summary>
    public static SamlLoginProfile? FromProfile(ConfigProfile profile)
    {
        if (!IsLoginProfile(profile))
        {
            return null;
        }

        string? Get(string key) => profile.Values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var providerText = Get(ProviderKey) ?? throw Invalid(profile.Name, $"has {KeyPrefix}* settings but no {ProviderKey}.");
        var provider = ParseProvider(providerText) ?? throw Invalid(profile.Name, $"has {ProviderKey} '{providerText}'; it must be ecp, adfs, okta or browser.");
        var endpointText = Get(EndpointUrlKey) ?? throw Invalid(profile.Name, $"has no {EndpointUrlKey}.");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(profile.Name, $"has {EndpointUrlKey} '{endpointText}', which is not an http(s) URL.");
        }

        int? duration = null;
        if (Get(DurationSecondsKey) is { } durationText)
        {
            duration = int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 900 and <= 43200
                ? seconds
                : throw Invalid(profile.Name, $"has {DurationSecondsKey} '{durationText}'; it must be a number of seconds from 900 to 43200.");
        }

        var settings = new SamlLoginProfile(profile.Name, provider, endpoint)
        {
            UserName = Get(UserNameKey),
            RoleArn = Get(RoleArnKey),
            DurationSeconds = duration,
            Factor = Get(FactorKey)?.ToLowerInvariant(),
            DuoFactorHeader = Get(DuoFactorHeaderKey),
            DuoPasscodeHeader = Get(DuoPasscodeHeaderKey),
            SkipCertificateCheck = ParseBoolean(profile.Name, VerifySslKey, Get(VerifySslKey), defaultValue: true) == false,
            Vault = Get(VaultKey),
            PlainPassword = profile.Values.TryGetValue(PasswordKey, out var password) && password.Length > 0 ? password : null,
            BrowserPath = Get(BrowserPathKey),
            Headless = ParseBoolean(profile.Name, HeadlessKey, Get(HeadlessKey), defaultValue: false),
            UseDefaultCredentials = ParseBoolean(profile.Name, UseDefaultCredentialsKey, Get(UseDefaultCredentialsKey), defaultValue: false),
            Region = profile.Region,
            CredentialProcess = profile.CredentialProcess,
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks the settings that do not depend on the provider's own rules; an <see cref="AwsLoginException"/> otherwise.</summary>
    public void Validate()
    {
        if (DurationSeconds is { } seconds && seconds is < 900 or > 43200)
        {
            throw Invalid(ProfileName, $"has session length {seconds.ToString(CultureInfo.InvariantCulture)}; it must be from 900 to 43200 seconds.");
        }

        if (RoleArn is { } role && !Sts.RoleArn.TryParse(role, out _))
        {
            throw Invalid(ProfileName, $"has role ARN '{role}', which is not an IAM role ARN.");
        }

        if (Factor is { } factor)
        {
            var allowed = Provider switch
            {
                SamlProviderKind.Ecp => s_ecpFactors,
                SamlProviderKind.Okta => s_oktaFactors,
                _ => Array.Empty<string>(),
            };
            if (!allowed.Contains(factor, StringComparer.Ordinal))
            {
                throw Invalid(ProfileName, allowed.Length == 0
                    ? $"sets factor '{factor}', but the {Name(Provider)} provider takes no factor setting."
                    : $"sets factor '{factor}'; the {Name(Provider)} provider takes {string.Join(", ", allowed)}.");
            }
        }

        if ((DuoFactorHeader is not null || DuoPasscodeHeader is not null) && Provider != SamlProviderKind.Ecp)
        {
            throw Invalid(ProfileName, "sets Duo header names, which only the ecp provider uses.");
        }

        if ((BrowserPath is not null || Headless) && Provider != SamlProviderKind.Browser)
        {
            throw Invalid(ProfileName, "sets browser settings, which only the browser provider uses.");
        }

        if (UseDefaultCredentials && Provider != SamlProviderKind.Adfs)
        {
            throw Invalid(ProfileName, "sets use_default_credentials, which only the adfs provider uses.");
        }
    }

    /// <summary>The config-file values of these settings, in the order they are written; null removes a key.</summary>
    public IReadOnlyList<(string Key, string? Value)> ToConfigValues() => new (string, string?)[]
    {
        (ProviderKey, Name(Provider)),
        (EndpointUrlKey, EndpointUrl.ToString()),
        (UserNameKey, UserName),
        (RoleArnKey, RoleArn),
        (DurationSecondsKey, DurationSeconds?.ToString(CultureInfo.InvariantCulture)),
        (FactorKey, Factor),
        (DuoFactorHeaderKey, DuoFactorHeader),
        (DuoPasscodeHeaderKey, DuoPasscodeHeader),
        (VerifySslKey, SkipCertificateCheck ? "false" : null),
        (VaultKey, Vault),
        (BrowserPathKey, BrowserPath),
        (HeadlessKey, Headless ? "true" : null),
        (UseDefaultCredentialsKey, UseDefaultCredentials ? "true" : null),
    };

    /// <summary>The lower-case name a provider is stored under.</summary>
    public static string Name(SamlProviderKind provider) => provider.ToString().ToLowerInvariant();

    public static SamlProviderKind? ParseProvider(string text) =>
        Enum.TryParse<SamlProviderKind>(text.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(typeof(SamlProviderKind), kind) && !text.Trim().All(char.IsDigit)
            ? kind
            : null;

    public override string ToString() => $"{ProfileName}: {Name(Provider)} {SamlCredentialBroker.NormalizeEndpoint(EndpointUrl)}";

    private static bool ParseBoolean(string profileName, string key, string? text, bool defaultValue) => text?.ToLowerInvariant() switch
    {
        null => defaultValue,
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw Invalid(profileName, $"has {key} '{text}'; it must be true or false."),
    };

    internal static AwsLoginException Invalid(string profileName, string what) =>
        new(FailureKind.InvalidConfiguration, "InvalidLoginProfile", $"The login profile '{profileName}' {what}", profileName,
            "Edit the awslogin_saml_* lines of the profile in the shared config file, or remove them with Remove-AwsLoginProfile and create the profile again with Set-AwsLoginProfile.");
}
