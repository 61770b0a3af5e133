using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AwsLogin.Engine.Config;

/// <summary>The <c>[sso-session NAME]</c> section that <see cref="SsoConfigGenerator"/> writes and every generated profile uses.</summary>
public sealed class SsoConfigSession
{
    /// <summary>The scope the AWS CLI registers with: access to the accounts and roles of the user.</summary>
    public const string DefaultRegistrationScope = "sso:account:access";

    private static readonly Regex s_scope = new("^[A-Za-z0-9_.:/-]+$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Validates the settings; an <see cref="AwsLoginException"/> (InvalidArgument, InvalidSsoConfigSetting) names
    /// the bad one. <paramref name="name"/> may hold ASCII letters, digits and <c>_ . @ + -</c>;
    /// <paramref name="startUrl"/> is an absolute https (or http, for test servers) URL; <paramref name="region"/> is
    /// a region name such as eu-west-1; <paramref name="registrationScopes"/> defaults to
    /// <see cref="DefaultRegistrationScope"/>.
    /// </summary>
    public SsoConfigSession(string name, string startUrl, string region, IEnumerable<string>? registrationScopes = null)
    {
        Name = SsoConfigNames.ValidateSessionName(name);
        if (startUrl is null
            || !Uri.TryCreate(startUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || SsoConfigNames.HasWhiteSpace(startUrl))
        {
            throw SsoConfigNames.InvalidSetting(startUrl, "The start URL must be an absolute https URL such as https://d-1234567890.awsapps.com/start.", "Copy the AWS access portal URL from IAM Identity Center (Settings, Identity source).");
        }

        StartUrl = startUrl;
        Region = SsoConfigNames.ValidateRegion(region);
        var scopes = new List<string>();
        foreach (var scope in registrationScopes ?? new[] { DefaultRegistrationScope })
        {
            if (scope is null || !s_scope.IsMatch(scope))
            {
                throw SsoConfigNames.InvalidSetting(scope, "A registration scope is a word such as sso:account:access (letters, digits and _ . : / -).", "Check the scopes, or leave them out to use sso:account:access.");
            }

            if (!scopes.Contains(scope))
            {
                scopes.Add(scope);
            }
        }

        if (scopes.Count == 0)
        {
            scopes.Add(DefaultRegistrationScope);
        }

        RegistrationScopes = scopes;
    }

    /// <summary>The sso-session name.</summary>
    public string Name { get; }

    /// <summary>sso_start_url: the AWS access portal URL.</summary>
    public string StartUrl { get; }

    /// <summary>sso_region: the region of IAM Identity Center.</summary>
    public string Region { get; }

    /// <summary>sso_registration_scopes, written comma-separated.</summary>
    public IReadOnlyList<string> RegistrationScopes { get; }

    public override string ToString() => Name;
}

/// <summary>One account and role (permission set) the user can sign in to, as IAM Identity Center lists them.</summary>
public sealed class SsoConfigAssignment
{
    /// <summary>
    /// Validates the assignment: a 12-digit account id and a role name of 1-64 characters from
    /// <c>A-Z a-z 0-9 _ + = , . @ -</c>; an <see cref="AwsLoginException"/> (InvalidArgument, InvalidSsoConfigSetting)
    /// otherwise. The account name and email may be anything (they only fill the name template).
    /// </summary>
    public SsoConfigAssignment(string accountId, string accountName, string roleName, string? accountEmail = null)
    {
        AccountId = SsoConfigNames.ValidateAccountId(accountId);
        AccountName = accountName ?? string.Empty;
        RoleName = SsoConfigNames.ValidateRoleName(roleName);
        AccountEmail = accountEmail;
    }

    /// <summary>The 12-digit account id.</summary>
    public string AccountId { get; }

    /// <summary>The account's name in AWS Organizations (may be empty).</summary>
    public string AccountName { get; }

    /// <summary>The role name in the account: the permission set name.</summary>
    public string RoleName { get; }

    /// <summary>The account's email address, when known.</summary>
    public string? AccountEmail { get; }

    public override string ToString() => AccountId + "/" + RoleName;
}

/// <summary>What <see cref="SsoConfigGenerator"/> writes: one sso-session, a profile per assignment, and role profiles reached from them.</summary>
public sealed class SsoConfigRequest
{
    /// <summary>The default profile name template.</summary>
    public const string DefaultNameTemplate = "{AccountName}-{RoleName}";

    private string _nameTemplate = DefaultNameTemplate;

    public SsoConfigRequest(SsoConfigSession session, IEnumerable<SsoConfigAssignment> assignments)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        if (assignments is null)
        {
            throw new ArgumentNullException(nameof(assignments));
        }

        var list = new List<SsoConfigAssignment>();
        foreach (var assignment in assignments)
        {
            list.Add(assignment ?? throw new ArgumentException("The assignments must not contain null.", nameof(assignments)));
        }

        Assignments = list;
    }

    public SsoConfigSession Session { get; }

    /// <summary>The accounts and roles to write a profile for (duplicates are written once).</summary>
    public IReadOnlyList<SsoConfigAssignment> Assignments { get; }

    /// <summary>
    /// The profile name template: text with the placeholders {AccountName}, {AccountId}, {RoleName},
    /// {AccountEmail} and {SessionName} (matched ignoring case), at least one of the first four. See
    /// <see cref="SsoConfigNames"/> for how names are made valid and unique. Default <see cref="DefaultNameTemplate"/>.
    /// </summary>
    public string NameTemplate
    {
        get => _nameTemplate;
        set => _nameTemplate = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The <c>region</c> of every profile; when null, new profiles get a commented <c># region =</c> line instead.</summary>
    public string? Region { get; set; }

    /// <summary>The <c>output</c> of every profile (json, yaml, yaml-stream, text, table); none when null.</summary>
    public string? Output { get; set; }

    /// <summary>
    /// When true, profiles get a <c>credential_process</c> line that runs Get-AwsRoleCredential in <see cref="PowerShell"/> (for SDKs
    /// that cannot read sso profiles) instead of sso_session, sso_account_id and sso_role_name.
    /// </summary>
    public bool CredentialProcess { get; set; }

    /// <summary>The PowerShell the credential_process lines run: pwsh, or powershell for Windows PowerShell.</summary>
    public string PowerShell { get; set; } = SsoConfigNames.DefaultPowerShell;

    /// <summary>Role profiles (role_arn + source_profile) for IAM roles reached from a permission set; see <see cref="SsoTargetRoleProfile.ParseJson"/>.</summary>
    public IReadOnlyList<SsoTargetRoleProfile> TargetRoles { get; set; } = Array.Empty<SsoTargetRoleProfile>();

    /// <summary>When merging: remove the profiles this sso-session generated earlier that this request no longer produces.</summary>
    public bool Prune { get; set; }
}
