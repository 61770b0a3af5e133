using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Saml.LoginProfiles;

/// <summary>A login profile read from the config file, or why it could not be read.</summary>
public sealed class SamlLoginProfileEntry
{
    internal SamlLoginProfileEntry(string profileName, SamlLoginProfile? profile, AwsLoginException? error)
    {
        ProfileName = profileName;
        Profile = profile;
        Error = error;
    }

    public string ProfileName { get; }

    public SamlLoginProfile? Profile { get; }

    public AwsLoginException? Error { get; }
}

/// <summary>
/// Reads and edits login profiles in the shared config file: the <c>awslogin_saml_*</c> keys and the credential_process
/// line that runs <c>Get-AwsRoleCredential -ProfileName NAME -AsProcessJson</c>. Every other line of the file (comments,
/// order, other keys and profiles) is kept; edits are planned first (for -WhatIf) and applied with
/// <see cref="ConfigFileEditor"/> under its lock.
/// </summary>
public static class SamlLoginProfileStore
{
    // The keys that make a profile something other than a SAML sign-in: botocore would resolve them first.
    private static readonly string[] s_conflictingConfigKeys =
    {
        "role_arn", "source_profile", "credential_source", "web_identity_token_file",
        "sso_session", "sso_start_url", "sso_account_id", "sso_role_name",
    };

    private static readonly Regex s_profileName = new(@"^[A-Za-z0-9_.@+=-]{1,64}$", RegexOptions.CultureInvariant);

    /// <summary>The login profiles, sorted by name, each read or with the error that stops it being read.</summary>
    public static IReadOnlyList<SamlLoginProfileEntry> List(ProfileStore store) =>
        store.ProfileNames
            .Select(name => store.TryGetProfile(name, out var profile) ? profile! : null)
            .Where(profile => profile is not null && profile.InConfigFile && SamlLoginProfile.IsLoginProfile(profile))
            .Select(profile => Read(profile!))
            .OrderBy(entry => entry.ProfileName, StringComparer.OrdinalIgnoreCase)
            .ToArray();

    /// <summary>The login profile <paramref name="profileName"/>; a NotFound error when the profile has no SAML settings.</summary>
    public static SamlLoginProfile Get(ProfileStore store, string profileName)
    {
        if (!store.TryGetProfile(profileName, out var profile) || !SamlLoginProfile.IsLoginProfile(profile!))
        {
            throw NotFound(profileName, store.ConfigPath);
        }

        return SamlLoginProfile.FromProfile(profile!)!;
    }

    /// <summary>The login profile <paramref name="profileName"/>, or null when the profile has no SAML settings.</summary>
    public static SamlLoginProfile? TryGet(ProfileStore store, string profileName) =>
        store.TryGetProfile(profileName, out var profile) ? SamlLoginProfile.FromProfile(profile!) : null;

    /// <summary>
    /// The sign-in settings for <paramref name="profileName"/>: its login profile (in the config file
    /// <paramref name="environment"/> names) changed by <paramref name="patch"/>, or new settings from the patch alone.
    /// </summary>
    public static SamlLoginProfile Resolve(IEnvironmentReader environment, string profileName, SamlLoginProfilePatch patch) =>
        patch.ApplyTo(TryGet(ProfileStore.Load(environment), profileName), profileName);

    /// <summary>
    /// The credential_process line of a login profile. <paramref name="powerShell"/> is the executable that runs the
    /// module (pwsh, or powershell for Windows PowerShell); profile names need no quoting (letters, digits, _.@+=-).
    /// </summary>
    public static string CredentialProcessLine(string powerShell, string profileName)
    {
        CheckName(profileName);
        return $"{powerShell} -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -ProfileName '{profileName}' -AsProcessJson\"";
    }

    /// <summary>True when a credential_process line is one this module wrote for a login profile.</summary>
    public static bool IsOwnCredentialProcess(string? line) =>
        line is not null && line.IndexOf("Get-AwsRoleCredential", StringComparison.OrdinalIgnoreCase) >= 0 && line.IndexOf("-AsProcessJson", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>
    /// Plans writing <paramref name="settings"/> to the config file as the profile's SAML settings, with its
    /// credential_process line and region. A profile whose other settings would win over the SAML sign-in (role_arn,
    /// IAM Identity Center, keys in the credentials file), or whose credential_process is another program's unless
    /// <paramref name="force"/>, is refused. Keys of the previous settings that the new ones leave out are removed.
    /// </summary>
    public static FileChange PlanSet(ProfileStore store, SamlLoginProfile settings, string credentialProcessLine, bool force, bool clearRegion = false)
    {
        CheckName(settings.ProfileName);
        settings.Validate();
        if (store.TryGetProfile(settings.ProfileName, out var existing))
        {
            CheckConflicts(store, existing!, force);
        }

        var section = ProfileStore.ConfigSectionName(settings.ProfileName);
        return ConfigFileEditor.Plan(store.ConfigPath, secret: false, document =>
        {
            foreach (var (key, value) in settings.ToConfigValues())
            {
                if (value is null)
                {
                    document.RemoveKey(section, key);
                }
                else
                {
                    document.SetValue(section, key, value);
                }
            }

            if (settings.Region is { } region)
            {
                document.SetValue(section, "region", region);
            }
            else if (clearRegion)
            {
                document.RemoveKey(section, "region");
            }

            document.SetValue(section, "credential_process", credentialProcessLine);
        });
    }

    /// <summary>
    /// Plans saving <paramref name="patch"/> to the login profile <paramref name="profileName"/> (created when missing)
    /// in the config file <paramref name="environment"/> names; returns the change and the settings it writes.
    /// </summary>
    public static (FileChange Change, SamlLoginProfile Settings) PlanSet(IEnvironmentReader environment, string profileName, SamlLoginProfilePatch patch, string powerShell, bool force)
    {
        var store = ProfileStore.Load(environment);
        var settings = patch.ApplyTo(TryGet(store, profileName), profileName);
        var line = CredentialProcessLine(powerShell, profileName);
        return (PlanSet(store, settings, line, force, clearRegion: patch.Region == string.Empty), settings with { CredentialProcess = line });
    }

    /// <summary>
    /// Plans removing a login profile: its <c>awslogin_saml_*</c> keys and its own credential_process line; the section
    /// itself goes only when nothing else is left in it (a region or output setting keeps it).
    /// </summary>
    public static FileChange PlanRemove(ProfileStore store, string profileName)
    {
        if (!store.TryGetProfile(profileName, out var profile) || !profile!.InConfigFile || !SamlLoginProfile.IsLoginProfile(profile))
        {
            throw NotFound(profileName, store.ConfigPath);
        }

        var section = ProfileStore.ConfigSectionName(profileName);
        return ConfigFileEditor.Plan(store.ConfigPath, secret: false, document =>
        {
            foreach (var key in document.GetKeys(section).Where(k => k.StartsWith(SamlLoginProfile.KeyPrefix, StringComparison.Ordinal)).ToArray())
            {
                document.RemoveKey(section, key);
            }

            if (IsOwnCredentialProcess(document.GetValue(section, "credential_process")))
            {
                document.RemoveKey(section, "credential_process");
            }

            if (document.GetKeys(section).Count == 0)
            {
                document.RemoveSection(section);
            }
        });
    }

    private static void CheckConflicts(ProfileStore store, ConfigProfile existing, bool force)
    {
        if (existing.InCredentialsFile && existing.AccessKeyId is not null)
        {
            throw Conflict(existing.Name, $"has access keys in {store.CredentialsPath}, which AWS tools use before a credential_process", "Choose another profile name, or remove the keys from the credentials file first.");
        }

        var conflicting = s_conflictingConfigKeys.Where(existing.Values.ContainsKey).ToArray();
        if (conflicting.Length > 0)
        {
            throw Conflict(existing.Name, $"already has {string.Join(", ", conflicting)}, which AWS tools use before a credential_process", "Choose another profile name: a login profile holds only SAML sign-in settings, region and output.");
        }

        if (!force && existing.CredentialProcess is { } line && !IsOwnCredentialProcess(line))
        {
            throw Conflict(existing.Name, "already has a credential_process that runs another program", "Pass -Force to replace it, or choose another profile name.");
        }
    }

    private static SamlLoginProfileEntry Read(ConfigProfile profile)
    {
        try
        {
            return new SamlLoginProfileEntry(profile.Name, SamlLoginProfile.FromProfile(profile), null);
        }
        catch (AwsLoginException ex)
        {
            return new SamlLoginProfileEntry(profile.Name, null, ex);
        }
    }

    private static void CheckName(string profileName)
    {
        if (profileName is null || !s_profileName.IsMatch(profileName))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument",
                $"'{profileName}' cannot be a login profile name: use 1 to 64 ASCII letters, digits and _ . @ + = -.", profileName,
                "Choose a profile name such as 'prod' or 'dev-admin'.");
        }
    }

    /// <summary>The error for a profile name that is not a login profile.</summary>
    public static AwsLoginException NotFoundError(string profileName) =>
        new(FailureKind.NotFound, "LoginProfileNotFound", $"There is no login profile '{profileName}'.", profileName,
            "Create it with Set-AwsLoginProfile; Get-AwsLoginProfile lists the login profiles.");

    private static AwsLoginException NotFound(string profileName, string configPath) =>
        new(FailureKind.NotFound, "LoginProfileNotFound", $"There is no login profile '{profileName}' in {configPath}.", profileName,
            "Create it with Set-AwsLoginProfile; Get-AwsLoginProfile lists the login profiles.");

    private static AwsLoginException Conflict(string profileName, string what, string action) =>
        new(FailureKind.InvalidArgument, "LoginProfileConflict", $"The profile '{profileName}' {what}; it cannot also be a login profile.", profileName, action);
}
