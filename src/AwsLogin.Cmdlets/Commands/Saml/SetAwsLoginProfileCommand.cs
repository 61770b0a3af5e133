using System;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommon.Set, "AwsLoginProfile", SupportsShouldProcess = true)]
[OutputType(typeof(AwsLoginProfile))]
public sealed class SetAwsLoginProfileCommand : AwsLoginCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidatePattern(@"^[A-Za-z0-9_.@+=-]{1,64}$")]
    public string? ProfileName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SamlProvider? Provider { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? UserName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? RoleArn { get; set; }

    [Parameter]
    [ValidateRange(0, 43200)]
    public int? DurationSeconds { get; set; }

    [Parameter]
    [ValidateSet("auto", "push", "passcode", "sms", "phone", "totp", "")]
    public string? Factor { get; set; }

    [Parameter]
    [AllowEmptyString]
    [ValidatePattern(@"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)?$")]
    public string? DuoFactorHeader { get; set; }

    [Parameter]
    [AllowEmptyString]
    [ValidatePattern(@"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)?$")]
    public string? DuoPasscodeHeader { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Vault { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? BrowserPath { get; set; }

    [Parameter]
    public SwitchParameter Headless { get; set; }

    [Parameter]
    public SwitchParameter UseDefaultCredentials { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^([a-z]{2}(-[a-z]+)+-\d+)?$")]
    public string? Region { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var patch = new SamlLoginProfilePatch
        {
            Provider = Provider is { } provider ? AwsSamlCmdlet.ToEngine(provider) : null,
            EndpointUrl = EndpointUrl,
            UserName = UserName,
            RoleArn = RoleArn,
            DurationSeconds = DurationSeconds,
            Factor = Factor,
            DuoFactorHeader = DuoFactorHeader,
            DuoPasscodeHeader = DuoPasscodeHeader,
            SkipCertificateCheck = SwitchIfGiven(nameof(SkipCertificateCheck), SkipCertificateCheck),
            Vault = Vault,
            BrowserPath = AwsSamlCmdlet.ResolveBrowserPath(SessionState, BrowserPath),
            Headless = SwitchIfGiven(nameof(Headless), Headless),
            UseDefaultCredentials = SwitchIfGiven(nameof(UseDefaultCredentials), UseDefaultCredentials),
            Region = Region,
        };

        try
        {
            var (change, settings) = SamlLoginProfileStore.PlanSet(ProcessEnvironment.Instance, ProfileName!, patch, PowerShellExecutable(), Force);
            if (settings.SkipCertificateCheck)
            {
                WriteWarning($"Login profile '{ProfileName}' does not check the TLS certificate of its identity provider: anyone on the network path can read the password sent to it and hand back a forged assertion. Use this only with a test IdP; Set-AwsLoginProfile -SkipCertificateCheck:$false turns checking back on.");
            }

            if (change.HasChanges && ShouldProcess(change.Describe(), $"Save login profile '{ProfileName}' in {change.Path}?", "Set-AwsLoginProfile"))
            {
                ConfigFileEditor.Apply(change, CancellationToken);
            }

            if (PassThru)
            {
                WriteObject(OutputMapper.ToOutput(settings));
            }
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
