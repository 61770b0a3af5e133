using System.Management.Automation;
using AwsLogin.Commands.Run;

namespace AwsLogin.Commands.Run;

[Cmdlet(VerbsLifecycle.Start, "AwsCredentialServer", DefaultParameterSetName = ProfileSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsCredentialServer))]
public sealed class StartAwsCredentialServerCommand : AwsIdentityCmdlet
{
    [Parameter]
    public SwitchParameter SetEnvironment { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(ServerTarget.Describe(this), "Start a credential server on 127.0.0.1"))
        {
            return;
        }

        var server = ServerHandle.Start(this);
        if (server is null)
        {
            return;
        }

        ServerTarget.WriteMessages(this, server);
        if (SetEnvironment)
        {
            ServerTarget.WarnIfDefaultProfileWins(this);
            server.SetEnvironment();
        }

        WriteObject(new AwsCredentialServer(server));
    }
}
