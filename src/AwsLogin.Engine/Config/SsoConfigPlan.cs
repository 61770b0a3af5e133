using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>What a generated profile is.</summary>
public enum SsoConfigProfileKind
{
    /// <summary>A permission set in an account: sso_session, sso_account_id, sso_role_name (or credential_process).</summary>
    SsoRole,

    /// <summary>An IAM role assumed from an SsoRole profile: role_arn and source_profile.</summary>
    TargetRole,
}

/// <summary>What a plan does with a profile (or the sso-session section).</summary>
public enum SsoConfigAction
{
    /// <summary>A new section is appended.</summary>
    Added,

    /// <summary>A section written earlier gets new values for AwsLogin's keys; other lines stay.</summary>
    Updated,

    /// <summary>The section already holds these values.</summary>
    Unchanged,

    /// <summary>A profile generated earlier that this request no longer produces, removed because of Prune.</summary>
    Removed,

    /// <summary>A profile generated earlier that this request no longer produces, kept because Prune was not set.</summary>
    Stale,

    /// <summary>No profile was written; <see cref="SsoConfigProfile.Reason"/> says why.</summary>
    Skipped,
}

/// <summary>One profile of an <see cref="SsoConfigPlan"/>: which account and role, under which name, and what happens to it.</summary>
public sealed class SsoConfigProfile
{
    internal SsoConfigProfile(
        string profileName,
        SsoConfigProfileKind kind,
        string accountId,
        string? accountName,
        string roleName,
        string? targetRoleArn,
        string? sourceProfile,
        string? region,
        SsoConfigAction action,
        string? reason)
    {
        ProfileName = profileName;
        Kind = kind;
        AccountId = accountId;
        AccountName = accountName;
        RoleName = roleName;
        TargetRoleArn = targetRoleArn;
        SourceProfile = sourceProfile;
        Region = region;
        Action = action;
        Reason = reason;
    }

    /// <summary>The profile name (for a skipped profile: the name it would have had, when known).</summary>
    public string ProfileName { get; }

    public SsoConfigProfileKind Kind { get; }

    /// <summary>The account of the permission set (for a TargetRole: the source account).</summary>
    public string AccountId { get; }

    /// <summary>The account name (for a TargetRole: TargetAccountName), when known.</summary>
    public string? AccountName { get; }

    /// <summary>The permission set's role name (for a TargetRole: the source role).</summary>
    public string RoleName { get; }

    /// <summary>For a TargetRole: the role_arn.</summary>
    public string? TargetRoleArn { get; }

    /// <summary>For a TargetRole: the source_profile.</summary>
    public string? SourceProfile { get; }

    /// <summary>The region written, when one was.</summary>
    public string? Region { get; }

    public SsoConfigAction Action { get; }

    /// <summary>Why a profile was skipped or left stale; null otherwise.</summary>
    public string? Reason { get; }

    public override string ToString() => ProfileName;
}

/// <summary>
/// The result of <see cref="SsoConfigGenerator.Generate"/> (text only) or <see cref="SsoConfigGenerator.PlanMerge"/>
/// (a planned edit of a config file, applied with <see cref="SsoConfigGenerator.Apply"/>).
/// </summary>
public sealed class SsoConfigPlan
{
    internal SsoConfigPlan(string sessionName, SsoConfigAction sessionAction, string text, FileChange? change, IReadOnlyList<SsoConfigProfile> profiles)
    {
        SessionName = sessionName;
        SessionAction = sessionAction;
        Text = text;
        Change = change;
        Profiles = profiles;
    }

    /// <summary>The sso-session the profiles use.</summary>
    public string SessionName { get; }

    /// <summary>
    /// What happens to the <c>[sso-session NAME]</c> section: Added, Updated, Unchanged (also when the file has one
    /// that AwsLogin did not write, with the same start URL and region: it is used as it is).
    /// </summary>
    public SsoConfigAction SessionAction { get; }

    /// <summary>Text mode: the generated config text. Merge mode: the whole new file text.</summary>
    public string Text { get; }

    /// <summary>Merge mode: the planned change (Describe() is the diff to show for -WhatIf); null in text mode.</summary>
    public FileChange? Change { get; }

    /// <summary>
    /// Every profile: permission sets by account id and role name, then target roles by role ARN, then target roles
    /// whose source is not among the assignments (Skipped), then profiles generated earlier that the request no
    /// longer produces (Removed or Stale), in file order.
    /// </summary>
    public IReadOnlyList<SsoConfigProfile> Profiles { get; }

    /// <summary>The config file (merge mode), or null.</summary>
    public string? Path => Change?.Path;

    /// <summary>True in text mode, and in merge mode when applying would change the file.</summary>
    public bool HasChanges => Change?.HasChanges ?? true;

    public override string ToString() => Path is null ? $"sso-session {SessionName}" : $"sso-session {SessionName} in {Path}";
}
