using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Errors;

namespace AwsLogin.Commands.Run;

[Cmdlet(VerbsLifecycle.Stop, "AwsCredentialServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopAwsCredentialServerCommand : AwsLoginCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string PortSet = "Port";
    private const string AllSet = "All";

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public AwsCredentialServer[]? InputObject { get; set; }

    [Parameter(ParameterSetName = PortSet, Mandatory = true)]
    [ArgumentCompleter(typeof(CredentialServerPortCompleter))]
    [ValidateRange(1, 65535)]
    public int[]? Port { get; set; }

    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case AllSet:
                foreach (var server in CredentialServerRegistry.All)
                {
                    Stop(server);
                }

                break;
            case PortSet:
                foreach (var port in Port!)
                {
                    var server = CredentialServerRegistry.All.FirstOrDefault(s => s.Port == port);
                    if (server is null)
                    {
                        NotFound(port, $"No credential server of this process listens on port {port.ToString(CultureInfo.InvariantCulture)}.");
                        continue;
                    }

                    Stop(server);
                }

                break;
            default:
                foreach (var item in InputObject!)
                {
                    if (item is null || !CredentialServerRegistry.Contains(item.Handle))
                    {
                        NotFound(item, $"The credential server {item} is not running in this process.");
                        continue;
                    }

                    Stop(item.Handle);
                }

                break;
        }
    }

    private void Stop(ServerHandle server)
    {
        if (!ShouldProcess($"{server.Uri} ({server.Source})", "Stop the credential server"))
        {
            return;
        }

        server.Stop();
        ServerTarget.WriteMessages(this, server);
        WriteVerbose($"Stopped the credential server on port {server.Port.ToString(CultureInfo.InvariantCulture)}.");
    }

    private void NotFound(object? target, string message) =>
        WriteError(ErrorRecords.Create(
            ErrorIds.CredentialServerNotFound,
            ErrorCategory.ObjectNotFound,
            target,
            message,
            "Use Stop-AwsCredentialServer -All, or pipe the object that Start-AwsCredentialServer returned while the server runs."));
}
