using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Commands.Sts;

[Cmdlet(VerbsCommon.Get, "AwsCallerIdentity", DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(AwsCallerIdentity))]
public sealed class GetAwsCallerIdentityCommand : AwsIdentityCmdlet
{
    protected override void ProcessRecord()
    {
        var credential = GetIdentity();
        if (credential is null)
        {
            return;
        }

        try
        {
            var identity = RunEngine((context, token) =>
                new CredentialBroker(context).GetCallerIdentityAsync(OutputMapper.ToEngine(credential), Region ?? credential.Region, token));
            WriteObject(OutputMapper.ToOutput(identity));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
