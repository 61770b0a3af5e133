using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>What Export-AwsSsoConfig asks for: the sso-session to write, where its roles come from, and how to write the profiles.</summary>
public sealed record SsoConfigExportRequest
{
    /// <summary>The sso-session name the profiles use (an existing [sso-session] section, or a new one).</summary>
    public string SessionName { get; init; } = string.Empty;

    /// <summary>The start URL of a new sso-session (an existing section's own is used otherwise).</summary>
    public string? StartUrl { get; init; }

    /// <summary>The Identity Center region of a new sso-session.</summary>
    public string? SsoRegion { get; init; }

    /// <summary>sso_registration_scopes of a new sso-session; sso:account:access by default.</summary>
    public IReadOnlyList<string>? RegistrationScopes { get; init; }

    /// <summary>A token obtained elsewhere (-AccessToken).</summary>
    public string? AccessToken { get; init; }

    /// <summary>A token file obtained elsewhere (-CacheFile).</summary>
    public string? CacheFile { get; init; }

    /// <summary>The roles to write profiles for; null lists every role of every account.</summary>
    public IReadOnlyList<SsoRole>? Roles { get; init; }

    /// <summary>The profile name template; <see cref="SsoConfigRequest.DefaultNameTemplate"/> when null.</summary>
    public string? NameTemplate { get; init; }

    /// <summary>The region line of every profile.</summary>
    public string? ProfileRegion { get; init; }

    /// <summary>The output line of every profile.</summary>
    public string? Output { get; init; }

    /// <summary>credential_process lines (running Get-AwsRoleCredential) instead of sso_* keys.</summary>
    public bool CredentialProcess { get; init; }

    /// <summary>The PowerShell the credential_process lines run: pwsh, or powershell for Windows PowerShell.</summary>
    public string PowerShell { get; init; } = Config.SsoConfigNames.DefaultPowerShell;

    /// <summary>A JSON file listing role profiles to write for IAM roles reached from the permission sets (see <see cref="SsoTargetRoleProfile.ParseJson"/>).</summary>
    public string? TargetRolesFile { get; init; }

    /// <summary>The same JSON list as <see cref="TargetRolesFile"/>, given as text (-TargetRoleProfile).</summary>
    public string? TargetRolesJson { get; init; }

    /// <summary>Remove profiles this sso-session generated earlier that are no longer assigned.</summary>
    public bool Prune { get; init; }

    /// <summary>The config file to merge into; null for text only.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>How many portal calls discovery makes at once.</summary>
    public int ThrottleLimit { get; init; } = SsoDiscovery.DefaultThrottleLimit;
}

/// <summary>A planned export: the config plan, the accounts whose roles could not be listed, and how to finish it.</summary>
public sealed class SsoConfigExportPlan
{
    internal SsoConfigExportPlan(SsoConfigPlan plan, IReadOnlyList<AwsLoginException> failures, SsoSession session, string? sessionTokenKey)
    {
        Plan = plan;
        Failures = failures;
        Session = session;
        SessionTokenKey = sessionTokenKey;
    }

    /// <summary>The generated text (text mode) or planned file change (merge mode) and every profile's fate.</summary>
    public SsoConfigPlan Plan { get; }

    /// <summary>Accounts whose roles could not be listed (each error's target is the account id); their profiles are not written.</summary>
    public IReadOnlyList<AwsLoginException> Failures { get; }

    /// <summary>The signed-in session the roles were listed with.</summary>
    public SsoSession Session { get; }

    /// <summary>
    /// When the sso-session is new and the token came from the start URL's cache entry: the session's own cache
    /// key, where applying copies the token so that the new profiles work at once.
    /// </summary>
    internal string? SessionTokenKey { get; }
}

/// <summary>Lists the roles of an IAM Identity Center sign-in and turns them into AWS config with <see cref="SsoConfigGenerator"/>.</summary>
internal sealed class SsoConfigExport
{
    private readonly EngineContext _context;
    private readonly SsoService _service;

    public SsoConfigExport(EngineContext context, SsoService service)
    {
        _context = context;
        _service = service;
    }

    public async Task<SsoConfigExportPlan> PlanAsync(SsoConfigExportRequest request, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var store = ProfileStore.Load(_context.Environment);
        var existing = store.TryGetSsoSession(request.SessionName, out var section) ? section : null;
        var startUrl = request.StartUrl ?? existing?.StartUrl;
        var region = request.SsoRegion ?? existing?.Region;
        if (startUrl is null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoTargetRequired",
                $"There is no [sso-session {request.SessionName}] section, so its start URL must be given.", request.SessionName,
                "Pass -StartUrl and -SsoRegion for a new sso-session, or name an existing one.");
        }

        if (region is null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoRegionRequired",
                $"The IAM Identity Center region of sso-session {request.SessionName} is unknown.", request.SessionName, "Pass -SsoRegion.");
        }

        var scopes = request.RegistrationScopes
            ?? (existing is not null && existing.Values.ContainsKey("sso_registration_scopes") ? existing.RegistrationScopes : null);
        var configSession = new SsoConfigSession(request.SessionName, startUrl, region, scopes);

        // The token: given outright, else the session's cache entry, else (for a new session) the start URL's.
        var source = request.AccessToken is not null || request.CacheFile is not null
            ? new SsoTokenSource { AccessToken = request.AccessToken, CacheFile = request.CacheFile, Region = region, StartUrl = startUrl }
            : existing is not null
                ? new SsoTokenSource { SessionName = request.SessionName }
                : new SsoTokenSource { StartUrl = startUrl, Region = region };

        SsoSession session;
        IReadOnlyList<SsoRole> roles;
        IReadOnlyList<AwsLoginException> failures;
        if (request.Roles is not null)
        {
            session = await _service.GetSessionAsync(source, cancellationToken).ConfigureAwait(false);
            roles = request.Roles;
            failures = Array.Empty<AwsLoginException>();

            // Roles listed by account id have no account name for the name template: look the names up once.
            if (roles.Any(r => string.IsNullOrEmpty(r.AccountName)))
            {
                var accounts = (await _service.ListAccountsAsync(source, cancellationToken).ConfigureAwait(false)).Accounts.ToDictionary(a => a.AccountId);
                roles = roles.Select(r => !string.IsNullOrEmpty(r.AccountName) || !accounts.TryGetValue(r.AccountId, out var account)
                    ? r
                    : r with { AccountName = account.AccountName, AccountEmail = account.EmailAddress }).ToList();
            }
        }
        else
        {
            var listing = await _service.ListRolesAsync(source, null, request.ThrottleLimit, progress, cancellationToken).ConfigureAwait(false);
            session = listing.Session!;
            roles = listing.Roles;
            failures = listing.Failures;
        }

        var assignments = new List<SsoConfigAssignment>(roles.Count);
        foreach (var role in roles)
        {
            assignments.Add(new SsoConfigAssignment(role.AccountId, role.AccountName ?? string.Empty, role.RoleName, role.AccountEmail));
        }

        var configRequest = new SsoConfigRequest(configSession, assignments)
        {
            Region = request.ProfileRegion,
            Output = request.Output,
            CredentialProcess = request.CredentialProcess,
            PowerShell = request.PowerShell,
            Prune = request.Prune && failures.Count == 0,
            TargetRoles = TargetRoles(request),
        };
        if (request.NameTemplate is not null)
        {
            configRequest.NameTemplate = request.NameTemplate;
        }

        if (request.Prune && failures.Count > 0)
        {
            _context.Log.Warning("Some accounts could not be listed, so no profile is pruned this time.");
        }

        var plan = request.ConfigPath is null
            ? SsoConfigGenerator.Generate(configRequest, _context.Log)
            : SsoConfigGenerator.PlanMerge(request.ConfigPath, configRequest, _context.Log);

        var sessionKey = existing is null && session.Origin != SsoTokenOrigin.Given && !request.CredentialProcess
            ? SsoTokenCache.TokenKey(request.SessionName, startUrl)
            : null;
        if (sessionKey is not null && _service.Cache.ReadToken(sessionKey, out _) is not null)
        {
            sessionKey = null;
        }

        return new SsoConfigExportPlan(plan, failures, session, sessionKey);
    }

    private static IReadOnlyList<SsoTargetRoleProfile> TargetRoles(SsoConfigExportRequest request)
    {
        if (request.TargetRolesJson is not null && request.TargetRolesFile is not null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument", "Give the target roles either as -TargetRoleProfile (JSON) or as -TargetRoleFile (a file), not both.",
                request.TargetRolesFile, "Pass one of -TargetRoleProfile and -TargetRoleFile.");
        }

        if (request.TargetRolesJson is { } json)
        {
            return SsoTargetRoleProfile.ParseJson(json);
        }

        return request.TargetRolesFile is null ? Array.Empty<SsoTargetRoleProfile>() : SsoTargetRoleProfile.ParseJson(ReadTargetRoles(request.TargetRolesFile));
    }

    private static string ReadTargetRoles(string path)
    {
        string? text;
        try
        {
            text = Cache.SecureFile.ReadAllTextOrNull(path);
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AwsLoginException(FailureKind.FileError, "TargetRoleFileUnreadable", $"The target role file '{path}' could not be read: {ex.GetType().Name}.", path,
                "Check the path and that you may read the file.", ex);
        }

        return text ?? throw new AwsLoginException(FailureKind.NotFound, "TargetRoleFileNotFound", $"The target role file '{path}' does not exist.", path,
            "Pass the path of a JSON file with SourceAccountID, SourceRoleName and TargetArn entries.");
    }

    /// <summary>Writes a merge plan (with a backup of the old file) and, for a new sso-session, caches its token under the session's name.</summary>
    public async Task<string?> ApplyAsync(SsoConfigExportPlan export, CancellationToken cancellationToken)
    {
        var backup = await SsoConfigGenerator.ApplyAsync(export.Plan, _context.UtcNow(), cancellationToken).ConfigureAwait(false);
        if (export.SessionTokenKey is { } key)
        {
            _service.Cache.WriteToken(key, export.Session.Token);
            _context.Log.Verbose($"Cached the IAM Identity Center token for the new sso-session {export.Plan.SessionName} as well ({_service.Cache.PathFor(key)}).");
        }

        return backup;
    }
}
