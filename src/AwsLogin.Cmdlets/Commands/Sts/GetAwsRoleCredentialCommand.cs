using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Output;

namespace AwsLogin.Commands.Sts;

[Cmdlet(VerbsCommon.Get, "AwsRoleCredential", DefaultParameterSetName = ProfileSet)]
[OutputType(typeof(AwsCredential))]
[OutputType(typeof(string))]
public sealed class GetAwsRoleCredentialCommand : AwsIdentityCmdlet
{
    [Parameter]
    public SwitchParameter AsProcessJson { get; set; }

    [Parameter(ParameterSetName = ProfileSet)]
    public SwitchParameter AskPassword { get; set; }

    internal override bool CanPrompt => !AsProcessJson;

    internal override bool AskSamlPassword => AskPassword;

    protected override void BeginProcessing()
    {
        // pwsh -c prints the warning stream on stdout, which credential_process reads as JSON.
        WarningsToStandardError = AsProcessJson;
        if (AsProcessJson && AskPassword)
        {
            // A credential_process has nobody to ask: refuse rather than skip the vault and fail later.
            ThrowEngineError(new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument",
                "-AskPassword asks for the password at the host, which a credential_process (-AsProcessJson) cannot do.", "AskPassword",
                "Run Get-AwsRoleCredential -ProfileName NAME -AskPassword (or Connect-AwsSaml -ProfileName NAME -AskPassword) interactively once; the credential_process then uses the cached credentials."));
        }
    }

    protected override void ProcessRecord()
    {
        var credential = GetIdentity();
        if (credential is null)
        {
            return;
        }

        if (AsProcessJson)
        {
            WriteObject(CredentialProcessJson.Serialize(OutputMapper.ToEngine(credential)));
        }
        else
        {
            WriteObject(credential);
        }
    }

    // In credential_process use a failure must end the process with a non-zero exit code.
    internal override void ReportIdentityError(AwsLoginException exception)
    {
        if (AsProcessJson)
        {
            ThrowEngineError(exception);
        }

        WriteEngineError(exception);
    }
}
