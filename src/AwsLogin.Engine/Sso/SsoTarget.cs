using System;
using System.Collections.Generic;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>How to sign in to IAM Identity Center: the authorization code grant with PKCE, or the device code grant.</summary>
public enum SsoSignInFlow
{
    /// <summary>Authorization code with PKCE: the browser on this machine redirects to a loopback listener.</summary>
    AuthorizationCode,

    /// <summary>Device code: the user enters a code on any device; the tool polls for the token.</summary>
    DeviceCode,
}

/// <summary>
/// Where a command gets its IAM Identity Center token: a token given outright (<see cref="AccessToken"/>), a
/// token file (<see cref="CacheFile"/>), or the cache entry of an sso-session, a profile or a start URL. With none
/// of these, AWS_PROFILE's (or the default profile's) IAM Identity Center settings, else the only [sso-session].
/// </summary>
public sealed record SsoTokenSource
{
    /// <summary>A profile with sso_session, or with the legacy sso_start_url and sso_region.</summary>
    public string? ProfileName { get; init; }

    /// <summary>An [sso-session NAME] section.</summary>
    public string? SessionName { get; init; }

    /// <summary>The AWS access portal URL; used only when neither a session nor a profile is named (legacy cache key).</summary>
    public string? StartUrl { get; init; }

    /// <summary>The Identity Center region; overrides the configured or cached one.</summary>
    public string? Region { get; init; }

    /// <summary>An access token obtained elsewhere (secret).</summary>
    public string? AccessToken { get; init; }

    /// <summary>A token file obtained elsewhere, in the AWS CLI's cache format.</summary>
    public string? CacheFile { get; init; }

    public override string ToString() =>
        AccessToken is not null ? "an access token" : CacheFile ?? SessionName ?? ProfileName ?? StartUrl ?? "the default IAM Identity Center settings";

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(ToString());
        return true;
    }
}

/// <summary>An IAM Identity Center instance as the configuration names it, resolved.</summary>
public sealed class SsoTarget
{
    internal SsoTarget(string? sessionName, string startUrl, string? region, IReadOnlyList<string>? registrationScopes, SsoSignInFlow? preferredFlow, ConfigProfile? profile, string description)
    {
        SessionName = sessionName;
        StartUrl = startUrl;
        Region = region;
        RegistrationScopes = registrationScopes;
        PreferredFlow = preferredFlow;
        Profile = profile;
        Description = description;
    }

    /// <summary>The sso-session name; null for legacy profiles and a bare start URL.</summary>
    public string? SessionName { get; }

    public string StartUrl { get; }

    /// <summary>The sso_region; null when only a start URL was named (the cached token then says).</summary>
    public string? Region { get; }

    /// <summary>sso_registration_scopes; null when the session does not set the key (it then takes no part in the registration key).</summary>
    public IReadOnlyList<string>? RegistrationScopes { get; }

    /// <summary>awslogin_sso_flow of the profile or sso-session, when set.</summary>
    public SsoSignInFlow? PreferredFlow { get; }

    /// <summary>The profile whose endpoint settings apply, if any.</summary>
    public ConfigProfile? Profile { get; }

    /// <summary>For messages: "sso-session corp", "profile dev", "start URL https://...".</summary>
    public string Description { get; }

    /// <summary>The token cache key.</summary>
    public string TokenKey => SsoTokenCache.TokenKey(SessionName, StartUrl);

    /// <summary>The command that signs in to this target again.</summary>
    public string ConnectCommand =>
        SessionName is not null && Profile is null ? $"Connect-AwsSso -SsoSession {SessionName}"
        : Profile is not null ? $"Connect-AwsSso -ProfileName {Profile.Name}"
        : $"Connect-AwsSso -StartUrl {StartUrl}" + (Region is null ? string.Empty : " -Region " + Region);

    public override string ToString() => Description;
}

/// <summary>Finds the IAM Identity Center settings of a session, a profile or the defaults, as the AWS CLI reads them.</summary>
internal sealed class SsoTargetResolver
{
    /// <summary>AwsLogin's own key (the AWS CLI ignores unknown keys) for the preferred sign-in flow of a profile or sso-session.</summary>
    public const string FlowKey = "awslogin_sso_flow";

    private readonly ProfileStore _store;
    private readonly IEnvironmentReader _environment;

    public SsoTargetResolver(ProfileStore store, IEnvironmentReader environment)
    {
        _store = store;
        _environment = environment;
    }

    /// <summary>The target of a source that names no token of its own. <paramref name="requireRegion"/> for sign-in.</summary>
    public SsoTarget Resolve(SsoTokenSource source, bool requireRegion)
    {
        if (source.SessionName is { Length: > 0 } && source.ProfileName is { Length: > 0 })
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoConflictingSources",
                "Name either an sso-session or a profile, not both.", source.SessionName, "Pass -SsoSession or -ProfileName.");
        }

        SsoTarget target;
        if (source.SessionName is { Length: > 0 } sessionName)
        {
            target = FromSession(sessionName, profile: null, description: "sso-session " + sessionName);
        }
        else if (source.ProfileName is { Length: > 0 } profileName)
        {
            target = FromProfile(_store.GetProfileOrThrow(profileName));
        }
        else if (source.StartUrl is { Length: > 0 } startUrl)
        {
            CheckStartUrl(startUrl);
            target = new SsoTarget(null, startUrl, NonEmpty(source.Region), null, null, ProfileForSettings(), "start URL " + startUrl);
        }
        else
        {
            target = Default();
        }

        if (NonEmpty(source.Region) is { } region && region != target.Region)
        {
            target = new SsoTarget(target.SessionName, target.StartUrl, region, target.RegistrationScopes, target.PreferredFlow, target.Profile, target.Description);
        }

        if (requireRegion && target.Region is null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoRegionRequired",
                $"The IAM Identity Center region of {target.Description} is unknown.", target.StartUrl, "Pass -Region with the region of the Identity Center instance.");
        }

        return target;
    }

    /// <summary>A profile's IAM Identity Center settings, or null when it has none.</summary>
    public SsoTarget? TryFromProfile(ConfigProfile profile) =>
        profile.SsoSession is null && profile.SsoStartUrl is null ? null : FromProfile(profile);

    /// <summary>The profile whose endpoint settings apply when none is named: AWS_PROFILE, else default.</summary>
    public ConfigProfile? ProfileForSettings()
    {
        var name = _environment.Get("AWS_PROFILE");
        return _store.TryGetProfile(string.IsNullOrEmpty(name) ? ProfileStore.DefaultProfileName : name!, out var profile) ? profile : null;
    }

    /// <summary>A start URL must be an absolute http(s) URL.</summary>
    public static void CheckStartUrl(string startUrl)
    {
        if (!Uri.TryCreate(startUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoInvalidStartUrl",
                $"'{startUrl}' is not an AWS access portal URL.", startUrl,
                "Use the AWS access portal URL shown in the IAM Identity Center console, for example https://d-1234567890.awsapps.com/start.");
        }
    }

    private SsoTarget FromProfile(ConfigProfile profile)
    {
        if (profile.SsoSession is { } sessionName)
        {
            if (!_store.TryGetSsoSession(sessionName, out _))
            {
                throw new AwsLoginException(FailureKind.InvalidConfiguration, "SsoSessionNotFound",
                    $"The profile '{profile.Name}' names sso_session '{sessionName}', but there is no [sso-session {sessionName}] section in {_store.ConfigPath}.",
                    profile.Name, $"Add the [sso-session {sessionName}] section (aws configure sso-session) or correct sso_session.");
            }

            var fromSession = FromSession(sessionName, profile, "profile " + profile.Name);
            return fromSession;
        }

        var missing = new List<string>();
        if (profile.SsoStartUrl is null)
        {
            missing.Add("sso_start_url");
        }

        if (profile.SsoRegion is null)
        {
            missing.Add("sso_region");
        }

        if (missing.Count > 0)
        {
            throw new AwsLoginException(FailureKind.InvalidConfiguration, "InvalidProfileConfiguration",
                $"The profile '{profile.Name}' has no IAM Identity Center settings: it needs sso_session, or sso_start_url and sso_region (missing: {string.Join(", ", missing)}).",
                profile.Name, "Add the settings (aws configure sso) or name an sso-session.");
        }

        CheckStartUrl(profile.SsoStartUrl!);
        return new SsoTarget(null, profile.SsoStartUrl!, profile.SsoRegion, null, Flow(profile.Get(FlowKey), profile.Name), profile, "profile " + profile.Name);
    }

    private SsoTarget FromSession(string sessionName, ConfigProfile? profile, string description)
    {
        if (!_store.TryGetSsoSession(sessionName, out var session))
        {
            throw new AwsLoginException(FailureKind.NotFound, "SsoSessionNotFound",
                $"There is no [sso-session {sessionName}] section in {_store.ConfigPath}.", sessionName,
                "Add it with 'aws configure sso-session' or name another one" + (_store.SsoSessionNames.Count > 0 ? " (" + string.Join(", ", _store.SsoSessionNames) + ")." : "."));
        }

        var missing = new List<string>();
        if (session!.StartUrl is null)
        {
            missing.Add("sso_start_url");
        }

        if (session.Region is null)
        {
            missing.Add("sso_region");
        }

        if (missing.Count > 0)
        {
            throw new AwsLoginException(FailureKind.InvalidConfiguration, "InvalidProfileConfiguration",
                $"The [sso-session {sessionName}] section is missing {string.Join(" and ", missing)}.", sessionName,
                "Add the missing settings to the sso-session (aws configure sso-session).");
        }

        CheckStartUrl(session.StartUrl!);

        // The AWS CLI passes the parsed scopes only when the key is present, so an absent key and an empty one differ.
        IReadOnlyList<string>? scopes = session.Values.ContainsKey("sso_registration_scopes") ? session.RegistrationScopes : null;
        var flow = Flow(profile?.Get(FlowKey), profile?.Name) ?? Flow(session.Get(FlowKey), sessionName);
        return new SsoTarget(sessionName, session.StartUrl!, session.Region, scopes, flow, profile, description);
    }

    private SsoTarget Default()
    {
        var profileName = _environment.Get("AWS_PROFILE");
        if (!string.IsNullOrEmpty(profileName))
        {
            var named = _store.GetProfileOrThrow(profileName!);
            if (TryFromProfile(named) is { } fromNamed)
            {
                return fromNamed;
            }
        }
        else if (_store.TryGetProfile(ProfileStore.DefaultProfileName, out var defaultProfile) && TryFromProfile(defaultProfile!) is { } fromDefault)
        {
            return fromDefault;
        }

        if (_store.SsoSessionNames.Count == 1)
        {
            var only = _store.SsoSessionNames[0];
            return FromSession(only, null, "sso-session " + only);
        }

        var sessions = _store.SsoSessionNames;
        throw new AwsLoginException(FailureKind.InvalidArgument, "SsoTargetRequired",
            sessions.Count == 0
                ? "No IAM Identity Center sign-in is named, and the config file has no [sso-session] section."
                : $"No IAM Identity Center sign-in is named, and the config file has several sso-sessions: {string.Join(", ", sessions)}.",
            "IAM Identity Center",
            "Pass -SsoSession NAME, -ProfileName NAME, or -StartUrl URL with -Region REGION.");
    }

    private static SsoSignInFlow? Flow(string? value, string? where)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null:
            case "":
                return null;
            case "device_code":
            case "device-code":
                return SsoSignInFlow.DeviceCode;
            case "authorization_code":
            case "authorization-code":
            case "pkce":
                return SsoSignInFlow.AuthorizationCode;
            default:
                throw new AwsLoginException(FailureKind.InvalidConfiguration, "InvalidProfileConfiguration",
                    $"'{where}' sets {FlowKey} = {value}; it must be device_code or authorization_code.", where,
                    $"Set {FlowKey} to device_code or authorization_code, or remove it.");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
