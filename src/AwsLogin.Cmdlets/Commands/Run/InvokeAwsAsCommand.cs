using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AwsLogin.Engine.Output;
using AwsLogin.Errors;

namespace AwsLogin.Commands.Run;

[Cmdlet(VerbsLifecycle.Invoke, "AwsAs", DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(object))]
public sealed class InvokeAwsAsCommand : AwsIdentityCmdlet
{
    [Parameter(Position = 0)]
    public ScriptBlock? ScriptBlock { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FilePath { get; set; }

    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public object[]? ArgumentList { get; set; }

    [Parameter]
    public SwitchParameter AutoRefresh { get; set; }

    protected override void BeginProcessing()
    {
        if ((ScriptBlock is null) == (FilePath is null))
        {
            ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.ScriptOrProgramRequired,
                ErrorCategory.InvalidArgument,
                null,
                "Invoke-AwsAs needs exactly one of -ScriptBlock and -FilePath.",
                "Pass a script block, e.g. Invoke-AwsAs -ProfileName dev { aws s3 ls }, or -FilePath aws -ArgumentList s3, ls."));
        }
    }

    protected override void ProcessRecord()
    {
        if (AutoRefresh)
        {
            RunWithServer();
            return;
        }

        var credential = GetIdentity();
        if (credential is null)
        {
            return;
        }

        var variables = CredentialEnvironment.VariablesFor(OutputMapper.ToEngine(credential), credential.Region);
        using (EnvironmentScope.Apply(variables))
        {
            Run();
        }
    }

    private void RunWithServer()
    {
        var server = ServerHandle.Start(this);
        if (server is null)
        {
            return;
        }

        try
        {
            ServerTarget.WriteMessages(this, server);
            ServerTarget.WarnIfDefaultProfileWins(this);
            using (EnvironmentScope.Apply(server.Variables(Region)))
            {
                Run();
            }
        }
        finally
        {
            server.Stop();
        }

        // Refreshes (and failed refreshes) happened while the command ran; they can be written only now.
        ServerTarget.WriteMessages(this, server);
    }

    private void Run()
    {
        // Both run through PowerShell's call operator with output streamed to this cmdlet's pipeline, so
        // a long-running command shows its output as it comes and a native program sets $LASTEXITCODE
        // exactly as when the user runs it directly.
        var target = (object?)ScriptBlock ?? FilePath;
        InvokeCommand.InvokeScript(
            "param($__awsLoginTarget, $__awsLoginArguments) & $__awsLoginTarget @__awsLoginArguments",
            true,
            PipelineResultTypes.Output,
            null,
            target,
            ArgumentList ?? new object[0]);
    }
}
