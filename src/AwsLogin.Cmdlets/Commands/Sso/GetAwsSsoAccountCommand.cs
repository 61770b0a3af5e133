using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

[Cmdlet(VerbsCommon.Get, "AwsSsoAccount")]
[OutputType(typeof(AwsSsoAccount))]
public sealed class GetAwsSsoAccountCommand : AwsSsoSourceCmdlet
{
    protected override void ProcessRecord()
    {
        try
        {
            var source = BuildSource();
            var listing = RunEngine((context, token) => new SsoService(context).ListAccountsAsync(source, token));
            foreach (var account in listing.Accounts)
            {
                WriteObject(OutputMapper.ToOutput(account, listing.Session));
            }
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
