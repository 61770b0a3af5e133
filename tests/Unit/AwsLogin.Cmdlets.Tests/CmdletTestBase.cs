using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>A fresh fake AWS world and a runspace with the module imported, for each test.</summary>
public abstract class CmdletTestBase : IAsyncLifetime
{
    protected const string RoleA = "arn:aws:iam::222222222222:role/RoleA";
    protected const string RoleB = "arn:aws:iam::333333333333:role/RoleB";

    protected AwsTestEnvironment _aws = null!;
    protected PowerShellSession _shell = null!;

    public virtual async Task InitializeAsync()
    {
        _aws = await AwsTestEnvironment.StartAsync();
        _shell = new PowerShellSession();
    }

    public virtual async Task DisposeAsync()
    {
        _shell.Dispose();
        await _aws.DisposeAsync();
    }
}
