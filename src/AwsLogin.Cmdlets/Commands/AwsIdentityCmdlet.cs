using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Sso;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Commands;

/// <summary>
/// The identity parameters shared by every cmdlet that needs credentials: where to start (a profile, keys, or
/// a piped credential) and which STS steps to take from there.
/// </summary>
public abstract class AwsIdentityCmdlet : AwsLoginCmdlet
{
    internal const string ProfileSet = "Profile";
    internal const string KeysSet = "Keys";
    internal const string PipelineSet = "Pipeline";
    internal const string SsoSet = "Sso";

    [Parameter(ParameterSetName = ProfileSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter(ParameterSetName = KeysSet, Mandatory = true)]
    [Alias("AK", "AccessKeyId")]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter(ParameterSetName = KeysSet, Mandatory = true)]
    [Alias("SK", "SecretAccessKey")]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    [Parameter(ParameterSetName = KeysSet)]
    [Alias("ST")]
    public string? SessionToken { get; set; }

    [Parameter(ParameterSetName = PipelineSet, Mandatory = true, ValueFromPipeline = true)]
    public AwsCredential? InputObject { get; set; }

    [Parameter(ParameterSetName = SsoSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("AccountId")]
    [ValidatePattern(@"^\d{12}$")]
    public string? SsoAccountId { get; set; }

    [Parameter(ParameterSetName = SsoSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RoleName")]
    [ValidateNotNullOrEmpty]
    public string? SsoRoleName { get; set; }

    [Parameter(ParameterSetName = SsoSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SsoSessionCompleter))]
    public string? SsoSession { get; set; }

    [Parameter(ParameterSetName = SsoSet, ValueFromPipelineByPropertyName = true)]
    public string? StartUrl { get; set; }

    [Parameter(ParameterSetName = SsoSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? SsoRegion { get; set; }

    [Parameter(ParameterSetName = SsoSet)]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    [Parameter(ParameterSetName = SsoSet)]
    [ValidateNotNullOrEmpty]
    public string? CacheFile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RoleArn { get; set; }

    [Parameter]
    [ValidatePattern(@"^[\w+=,.@-]{2,64}$")]
    public string? RoleSessionName { get; set; }

    [Parameter]
    [ValidateLength(2, 1224)]
    public string? ExternalId { get; set; }

    [Parameter]
    [ValidateRange(900, 129600)]
    public int? DurationSeconds { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    public string? Region { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SerialNumber { get; set; }

    [Parameter]
    [ValidatePattern(@"^\d{6}$")]
    public string? TokenCode { get; set; }

    [Parameter]
    public SwitchParameter FederationToken { get; set; }

    [Parameter]
    [ValidatePattern(@"^[\w+=,.@-]{2,32}$")]
    public string? FederationName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Policy { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>False where nobody can answer a prompt (credential_process); then a needed MFA code is an error.</summary>
    internal virtual bool CanPrompt => true;

    /// <summary>A login profile's SAML sign-in asks for the password (Get-AwsRoleCredential -AskPassword); else it is silent.</summary>
    internal virtual bool AskSamlPassword => false;

    /// <summary>Resolves the identity; returns null after writing a non-terminating error.</summary>
    internal AwsCredential? GetIdentity()
    {
        try
        {
            var request = BuildRequest();
            var credentials = RunEngine((context, token) => new CredentialBroker(context).GetCredentialsAsync(request, token));
            return OutputMapper.ToOutput(credentials);
        }
        catch (AwsLoginException ex)
        {
            ReportIdentityError(ex);
            return null;
        }
    }

    /// <summary>How an identity failure is reported: a non-terminating error by default.</summary>
    internal virtual void ReportIdentityError(AwsLoginException exception) => WriteEngineError(exception);

    internal IdentityRequest BuildRequest()
    {
        var hops = (RoleArn ?? Array.Empty<string>())
            .SelectMany(arn => arn.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            .Select(arn => new RoleHop(Engine.Sts.RoleArn.Parse(arn))
            {
                RoleSessionName = RoleSessionName,
                ExternalId = ExternalId,
            })
            .ToArray();

        CredentialSet? starting = ParameterSetName switch
        {
            KeysSet => new CredentialSet(AccessKey!, SecretKey!, SessionToken)
            {
                Source = "-AccessKey",
                Origin = string.IsNullOrEmpty(SessionToken) ? CredentialOrigin.LongTermKeys : CredentialOrigin.Temporary,
            },
            PipelineSet => OutputMapper.ToEngine(InputObject!),
            _ => null,
        };

        return new IdentityRequest
        {
            ProfileName = ProfileName,
            StartingCredentials = starting,
            RoleHops = hops,
            Region = Region ?? (ParameterSetName == PipelineSet ? InputObject!.Region : null),
            SerialNumber = SerialNumber,
            TokenCode = TokenCode,
            DurationSeconds = DurationSeconds,
            FederationToken = FederationToken,
            FederationName = FederationName,
            Policy = Policy,
            ForceRefresh = Force,
            MfaCodeProvider = CanPrompt ? PromptForMfaCodeAsync : null,
            SamlServices = new Saml.SamlHostServices(this).Create(credential: null, passcode: null, interactive: AskSamlPassword && CanPrompt, askPassword: AskSamlPassword),
            SsoAccountId = ParameterSetName == SsoSet ? SsoAccountId : null,
            SsoRoleName = ParameterSetName == SsoSet ? SsoRoleName : null,
            SsoSource = ParameterSetName == SsoSet
                ? new SsoTokenSource
                {
                    SessionName = Blank(SsoSession),
                    StartUrl = Blank(StartUrl),
                    Region = Blank(SsoRegion),
                    AccessToken = AccessToken,
                    CacheFile = CacheFile is null ? null : GetUnresolvedProviderPathFromPSPath(CacheFile),
                }
                : null,
        };
    }

    // Objects piped by property name may carry null or empty values (a legacy session has no SsoSession).
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // Prompts run on the pipeline thread; the engine worker waits for the answer.
    private Task<string?> PromptForMfaCodeAsync(string serialNumber, CancellationToken cancellationToken) =>
        OnPipelineThread(() => PromptForMfaCode(serialNumber));

    private string? PromptForMfaCode(string serialNumber)
    {
        if (Host?.UI is null)
        {
            return null;
        }

        try
        {
            var field = new System.Management.Automation.Host.FieldDescription("TokenCode") { HelpMessage = "The 6-digit code shown by the MFA device." };
            var answers = Host.UI.Prompt("MFA code", $"Enter the code from MFA device {serialNumber}", new System.Collections.ObjectModel.Collection<System.Management.Automation.Host.FieldDescription> { field });
            return answers.TryGetValue("TokenCode", out var value) ? value?.BaseObject?.ToString() : null;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            // A host without interactive input (a hosted runspace, -NonInteractive) cannot prompt.
            return null;
        }
    }
}
