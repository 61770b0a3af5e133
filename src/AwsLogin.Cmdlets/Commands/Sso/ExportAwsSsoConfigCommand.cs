using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

[Cmdlet(VerbsData.Export, "AwsSsoConfig", DefaultParameterSetName = TextSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsSsoConfigProfile), ParameterSetName = new[] { FileSet })]
[OutputType(typeof(string), ParameterSetName = new[] { TextSet })]
public sealed class ExportAwsSsoConfigCommand : AwsLoginCmdlet
{
    private const string FileSet = "File";
    private const string TextSet = "Text";

    private readonly List<SsoRole> _roles = new();
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SsoSessionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SsoSession { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? StartUrl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? SsoRegion { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RegistrationScope { get; set; }

    [Parameter(ValueFromPipeline = true)]
    public AwsSsoRole? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CacheFile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NameTemplate { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    public string? Region { get; set; }

    [Parameter]
    [ValidateSet("json", "yaml", "yaml-stream", "text", "table")]
    public string? Output { get; set; }

    [Parameter]
    public SwitchParameter CredentialProcess { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetRoleFile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetRoleProfile { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = FileSet)]
    public SwitchParameter Prune { get; set; }

    [Parameter(ParameterSetName = TextSet)]
    public SwitchParameter AsText { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = SsoService.DefaultThrottleLimit;

    protected override void ProcessRecord()
    {
        if (InputObject is { } role)
        {
            _roles.Add(new SsoRole(role.AccountId, role.AccountName, role.RoleName));
        }
    }

    protected override void EndProcessing()
    {
        var request = new SsoConfigExportRequest
        {
            SessionName = SsoSession!,
            StartUrl = Blank(StartUrl),
            SsoRegion = Blank(SsoRegion),
            RegistrationScopes = RegistrationScope,
            AccessToken = AccessToken,
            CacheFile = CacheFile is null ? null : GetUnresolvedProviderPathFromPSPath(CacheFile),
            Roles = _roles.Count > 0 ? _roles : null,
            NameTemplate = NameTemplate,
            ProfileRegion = Region,
            Output = Output,
            CredentialProcess = CredentialProcess,
            PowerShell = PowerShellExecutable(),
            TargetRolesFile = TargetRoleFile is null ? null : GetUnresolvedProviderPathFromPSPath(TargetRoleFile),
            TargetRolesJson = TargetRoleProfile,
            Prune = Prune,
            ConfigPath = ParameterSetName == TextSet ? null : ConfigPath(),
            ThrottleLimit = ThrottleLimit,
        };

        SsoConfigExportPlan export;
        try
        {
            export = RunEngine((context, token) => new SsoService(context).PlanConfigExportAsync(request, ReportProgress, token));
        }
        catch (AwsLoginException ex)
        {
            ThrowEngineError(ex);
            return;
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Listing IAM Identity Center roles", "Done") { RecordType = ProgressRecordType.Completed });
        }

        foreach (var failure in export.Failures)
        {
            WriteEngineError(failure);
        }

        var plan = export.Plan;
        if (ParameterSetName == TextSet)
        {
            WriteObject(plan.Text);
            return;
        }

        if (!plan.HasChanges)
        {
            WriteVerbose($"{plan.Path} already holds these profiles of sso-session {plan.SessionName}.");
        }
        else
        {
            var count = plan.Profiles.Count(p => p.Action is SsoConfigAction.Added or SsoConfigAction.Updated or SsoConfigAction.Removed);
            if (!ShouldProcess(plan.Change!.Describe(), $"Write {count} profile change(s) of sso-session {plan.SessionName} to {plan.Path}?", "Export-AwsSsoConfig"))
            {
                return;
            }

            try
            {
                var backup = RunEngine((context, token) => new SsoService(context).ApplyConfigExportAsync(export, token));
                if (backup is not null)
                {
                    WriteVerbose($"The previous config file is kept as {backup}.");
                }
            }
            catch (AwsLoginException ex)
            {
                ThrowEngineError(ex);
                return;
            }
        }

        foreach (var profile in plan.Profiles)
        {
            WriteObject(new AwsSsoConfigProfile(profile.ProfileName, profile.Kind.ToString(), profile.AccountId, profile.AccountName, profile.RoleName,
                profile.TargetRoleArn?.ToString(), profile.SourceProfile, profile.Region, profile.Action.ToString(), profile.Reason, plan.SessionName, plan.Path));
        }
    }

    private string ConfigPath() => GetUnresolvedProviderPathFromPSPath(Path!);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // Called on engine threads; progress is written on the pipeline thread, at most five times a second.
    private void ReportProgress(int done, int known)
    {
        lock (_sinceProgress)
        {
            if (done < known && _sinceProgress.ElapsedMilliseconds < 200)
            {
                return;
            }

            _sinceProgress.Restart();
        }

        _ = OnPipelineThread(() =>
        {
            WriteProgress(new ProgressRecord(1, "Listing IAM Identity Center roles", $"{done} of {known} accounts") { PercentComplete = known == 0 ? 0 : (int)(100L * done / known) });
            return true;
        });
    }
}
