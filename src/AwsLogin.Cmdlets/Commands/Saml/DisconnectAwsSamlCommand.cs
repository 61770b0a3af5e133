using System.Globalization;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Saml;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommunications.Disconnect, "AwsSaml", DefaultParameterSetName = ProfileSet, SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectAwsSamlCommand : AwsLoginCmdlet
{
    private const string ProfileSet = "Profile";
    private const string AllSet = "All";

    [Parameter(ParameterSetName = ProfileSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SamlProfileCompleter))]
    [ValidatePattern(@"^[A-Za-z0-9_.@+=-]{1,64}$")]
    public string[]? ProfileName { get; set; }

    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        if (All)
        {
            if (ShouldProcess("every AwsLogin SAML profile", "Delete cached SAML role credentials and identity provider session cookies"))
            {
                Run(null);
            }

            return;
        }

        foreach (var name in ProfileName!)
        {
            if (ShouldProcess(name, "Delete cached SAML role credentials and identity provider session cookies"))
            {
                Run(name);
            }
        }
    }

    private void Run(string? profileName)
    {
        try
        {
            var result = RunEngine((context, token) =>
            {
                var index = new SamlProfileIndex(context);
                return profileName is null ? index.SignOutAllAsync(token) : index.SignOutAsync(profileName, token);
            });
            var who = profileName is null ? "all profiles" : $"profile '{profileName}'";
            WriteVerbose(result.CredentialsRemoved == 0 && result.SessionsRemoved == 0
                ? $"Nothing SAML was cached for {who}."
                : string.Format(CultureInfo.CurrentCulture, "Deleted {0} cached role credential file(s) and {1} IdP session file(s) of {2}.", result.CredentialsRemoved, result.SessionsRemoved, who));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
