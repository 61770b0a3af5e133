using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Writes AWS config for IAM Identity Center: an <c>[sso-session NAME]</c> section, one profile per account and
/// role, and role profiles for IAM roles reached from them, either as text or merged into a config file.
/// </summary>
/// <remarks>
/// <para>
/// Sections written: <c>[sso-session NAME]</c> with sso_start_url, sso_region, sso_registration_scopes;
/// <c>[profile NAME]</c> per assignment with sso_session, sso_account_id, sso_role_name (or, with
/// <see cref="SsoConfigRequest.CredentialProcess"/>, a credential_process line: see
/// <see cref="SsoConfigNames.CredentialProcessCommand"/>); <c>[profile NAME]</c> per target role with role_arn and
/// source_profile. Each gets region (or a <c># region =</c> comment line when no region is known), output when
/// given, and <see cref="SsoConfigNames.MarkerKey"/>: <c>sso-session NAME</c>, <c>sso-role SESSION ACCOUNT ROLE</c>
/// or <c>target-role SESSION ACCOUNT ROLE TARGETARN</c>, which is how later runs find their own sections.
/// </para>
/// <para>
/// Names (see <see cref="SsoConfigNames"/>): permission sets are named in order of account id then role name,
/// then target roles in order of role ARN; a name already taken gets -2, -3, ... A profile generated earlier for
/// the same account and role (and target) keeps its name while the template still gives it (NAME or NAME-N), so a
/// name never moves to another account or role; the names of other generated profiles and <c>default</c> are
/// never handed out.
/// </para>
/// <para>
/// Merging never changes a section it did not write. Only these change: the sso-session section it wrote (the
/// three sso keys), profiles it wrote for this sso-session (AwsLogin's keys are set in place, region and output
/// only when given and never removed, switching to or from credential_process removes the other mode's keys; keys,
/// comments and order the user added in those sections stay), new sections (appended at the end), and with
/// <see cref="SsoConfigRequest.Prune"/> the removal of profiles it wrote for this sso-session that the request no
/// longer produces (without Prune they are left and reported as Stale). Every other line is kept byte for byte.
/// A profile name that a section AwsLogin did not write already defines is skipped with a warning (or silently when
/// that profile signs in to the same account and role, and then target roles use it as their source); an
/// sso-session section it did not write is used as it is when its start URL and region match, otherwise the merge
/// fails with SsoSessionConflict. To take over a generated profile, delete its <see cref="SsoConfigNames.MarkerKey"/>
/// line: it is then yours, and later merges skip its name.
/// </para>
/// </remarks>
public static class SsoConfigGenerator
{
    /// <summary>
    /// The config text for <paramref name="request"/> on its own (as if merged into an empty file, with the
    /// platform's line breaks), for printing. <see cref="SsoConfigPlan.Change"/> is null.
    /// </summary>
    /// <exception cref="AwsLoginException">InvalidNameTemplate, InvalidSsoConfigSetting, InvalidTargetRoleProfile.</exception>
    public static SsoConfigPlan Generate(SsoConfigRequest request, IEngineLog? log = null)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var document = IniDocument.Parse(string.Empty, Environment.NewLine);
        var (sessionAction, profiles) = SsoConfigMerge.Run(request, document, log ?? NullEngineLog.Instance, "the generated config");
        return new SsoConfigPlan(request.Session.Name, sessionAction, document.ToString(), null, profiles);
    }

    /// <summary>
    /// Plans merging <paramref name="request"/> into the config file <paramref name="path"/> (a missing file is
    /// empty) without writing anything: show <see cref="FileChange.Describe"/> of <see cref="SsoConfigPlan.Change"/>
    /// for -WhatIf, then <see cref="Apply"/>. Warnings (skipped profiles) and verbose messages go to
    /// <paramref name="log"/>.
    /// </summary>
    /// <exception cref="AwsLoginException">
    /// InvalidNameTemplate, InvalidSsoConfigSetting, InvalidTargetRoleProfile, SsoSessionConflict, ConfigEditUnsafe,
    /// and the file errors ConfigFileUnreadable and ConfigFileNotUtf8.
    /// </exception>
    public static SsoConfigPlan PlanMerge(string path, SsoConfigRequest request, IEngineLog? log = null)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        SsoConfigAction sessionAction = default;
        List<SsoConfigProfile>? profiles = null;
        var change = ConfigFileEditor.Plan(path, secret: false, document =>
            (sessionAction, profiles) = SsoConfigMerge.Run(request, document, log ?? NullEngineLog.Instance, path));
        return new SsoConfigPlan(request.Session.Name, sessionAction, change.NewText, change, profiles!);
    }

    /// <summary>
    /// Writes a merge plan: under the file's lock, refuses when the file changed since the plan
    /// (FileChangedConcurrently), keeps the old file as <c>PATH.awslogin-backup-yyyyMMddTHHmmssZ</c> (0600, from
    /// <paramref name="utcNow"/>), then replaces the file atomically. Returns the backup path, or null when nothing
    /// was written (no changes) or there was no file before.
    /// </summary>
    /// <exception cref="InvalidOperationException">The plan came from <see cref="Generate"/>.</exception>
    /// <exception cref="AwsLoginException">FileChangedConcurrently, ConfigFileWriteFailed, LockTimeout.</exception>
    public static Task<string?> ApplyAsync(SsoConfigPlan plan, DateTime utcNow, CancellationToken cancellationToken)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (plan.Change is null)
        {
            throw new InvalidOperationException("A text-only plan has no file to write.");
        }

        return ConfigFileEditor.ApplyWithBackupAsync(plan.Change, utcNow, ConfigFileEditor.DefaultLockTimeout, cancellationToken);
    }

    /// <summary><see cref="ApplyAsync"/>, blocking (for the cmdlet boundary).</summary>
    public static string? Apply(SsoConfigPlan plan, DateTime utcNow, CancellationToken cancellationToken = default) =>
        ApplyAsync(plan, utcNow, cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();
}
