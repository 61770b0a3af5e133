using System;
using System.Management.Automation;
using System.Text;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

[Cmdlet(VerbsCommunications.Connect, "AwsSso", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsSsoSession))]
public sealed class ConnectAwsSsoCommand : AwsLoginCmdlet
{
    private const string SessionSet = "SsoSession";
    private const string ProfileSet = "Profile";
    private const string StartUrlSet = "StartUrl";

    [Parameter(ParameterSetName = SessionSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SsoSessionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SsoSession { get; set; }

    [Parameter(ParameterSetName = ProfileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter(ParameterSetName = StartUrlSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? StartUrl { get; set; }

    [Parameter(ParameterSetName = StartUrlSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    public string? Region { get; set; }

    [Parameter]
    public SwitchParameter UseDeviceCode { get; set; }

    [Parameter]
    public SwitchParameter NoBrowser { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Browser { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = (int)SsoConnectRequest.DefaultTimeout.TotalSeconds;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = new SsoConnectRequest
        {
            Source = new SsoTokenSource { SessionName = SsoSession, ProfileName = ProfileName, StartUrl = StartUrl, Region = Region },
            UseDeviceCode = UseDeviceCode,
            NoBrowser = NoBrowser,
            Browser = Browser,
            Force = Force,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
        };

        var target = SsoSession is not null ? "sso-session " + SsoSession
            : ProfileName is not null ? "profile " + ProfileName
            : StartUrl ?? "the default IAM Identity Center sign-in";
        if (!ShouldProcess(target, "Sign in to IAM Identity Center"))
        {
            return;
        }

        try
        {
            var prompt = new HostPrompt(this);
            var session = RunEngine((context, token) => new SsoService(context).ConnectAsync(request, prompt, token));
            WriteObject(OutputMapper.ToOutput(session));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }

    // What the AWS CLI prints, shown on the host (and in the information stream) so that it reaches the user
    // whatever happens to the output.
    internal static string Instructions(SsoAuthorizationPrompt prompt)
    {
        var text = new StringBuilder();
        if (prompt.Reason is not null && prompt.Flow == SsoSignInFlow.DeviceCode)
        {
            text.Append("Using the device code sign-in because ").Append(prompt.Reason).Append('.').AppendLine();
        }

        if (prompt.Flow == SsoSignInFlow.AuthorizationCode)
        {
            text.AppendLine(prompt.OpeningBrowser
                ? "Attempting to open your default browser. If the browser does not open, open the following URL on this computer."
                : "Open the following URL in a browser on this computer.");
            text.AppendLine("If you cannot open the URL on this computer, run Connect-AwsSso again with -UseDeviceCode.");
            text.AppendLine().AppendLine(prompt.Url);
        }
        else
        {
            text.AppendLine(prompt.OpeningBrowser
                ? "Attempting to open your default browser. If the browser does not open, or to sign in on another device, open the following URL:"
                : "To sign in, open the following URL on any device:");
            text.AppendLine().AppendLine(prompt.VerificationUri);
            text.AppendLine().AppendLine("Then enter the code:").AppendLine().AppendLine(prompt.UserCode);
            text.AppendLine().AppendLine("Or open this URL, which fills in the code:").AppendLine(prompt.Url);
        }

        return text.ToString();
    }

    private void ShowInstructions(SsoAuthorizationPrompt prompt) =>
        WriteInformation(new HostInformationMessage { Message = Instructions(prompt) }, new[] { "PSHOST", "AwsLogin.SsoSignIn" });

    /// <summary>Hands the engine's sign-in instructions to the pipeline thread.</summary>
    private sealed class HostPrompt : ISsoSignInPrompt
    {
        private readonly ConnectAwsSsoCommand _command;

        public HostPrompt(ConnectAwsSsoCommand command)
        {
            _command = command;
        }

        public void Show(SsoAuthorizationPrompt prompt) => _command.OnPipelineThread(() =>
        {
            _command.ShowInstructions(prompt);
            return true;
        });
    }
}
