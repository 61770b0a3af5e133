using System;
using System.Globalization;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommon.Remove, "AwsLoginProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveAwsLoginProfileCommand : AwsLoginCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LoginProfileNameCompleter))]
    [ValidatePattern(@"^[A-Za-z0-9_.@+=-]{1,64}$")]
    public string[]? ProfileName { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in ProfileName!)
        {
            try
            {
                var change = SamlLoginProfileStore.PlanRemove(ProfileStore.Load(ProcessEnvironment.Instance), name);
                var description = $"Remove login profile '{name}' and delete its cached SAML role credentials and IdP session.{Environment.NewLine}{change.Describe()}";
                if (!ShouldProcess(description, $"Remove login profile '{name}' from {change.Path} and delete its cached SAML credentials and IdP session?", "Remove-AwsLoginProfile"))
                {
                    continue;
                }

                ConfigFileEditor.Apply(change, CancellationToken);
                var result = RunEngine((context, token) => new SamlProfileIndex(context).SignOutAsync(name, token));
                WriteVerbose(string.Format(CultureInfo.CurrentCulture, "Removed login profile '{0}'; deleted {1} cached role credential file(s) and {2} IdP session file(s).", name, result.CredentialsRemoved, result.SessionsRemoved));
            }
            catch (AwsLoginException ex)
            {
                WriteEngineError(ex);
            }
        }
    }
}
