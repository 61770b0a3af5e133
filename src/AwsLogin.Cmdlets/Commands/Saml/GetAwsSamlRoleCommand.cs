using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Saml;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommon.Get, "AwsSamlRole")]
[OutputType(typeof(AwsSamlRole))]
public sealed class GetAwsSamlRoleCommand : AwsSamlCmdlet
{
    protected override void ProcessRecord()
    {
        try
        {
            var signIn = CurrentSignIn();
            var roles = RunEngine((context, token) => new SamlCredentialBroker(context).GetRolesAsync(CreateProvider(signIn, context), token));
            foreach (var role in roles)
            {
                WriteObject(ToOutput(role, signIn));
            }
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
