using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Output;

namespace AwsLogin.Commands.Output;

[Cmdlet(VerbsData.Export, "AwsCredential", DefaultParameterSetName = FormatSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), ParameterSetName = new[] { FormatSet })]
[OutputType(typeof(System.IO.FileInfo), ParameterSetName = new[] { FileSet })]
public sealed class ExportAwsCredentialCommand : AwsLoginCmdlet
{
    private const string FormatSet = "Format";
    private const string FileSet = "CredentialsFile";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public AwsCredential? InputObject { get; set; }

    [Parameter(ParameterSetName = FormatSet, Position = 0)]
    public CredentialExportFormat Format { get; set; } = CredentialExportFormat.PowerShell;

    [Parameter(ParameterSetName = FileSet, Mandatory = true)]
    public SwitchParameter ToCredentialsFile { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true)]
    [ArgumentCompleter(typeof(Completers.ProfileNameCompleter))]
    [ValidatePattern(@"^[^\[\]\r\n]+$")]
    public string? ProfileName { get; set; }

    [Parameter(ParameterSetName = FileSet)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = FileSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var credentials = OutputMapper.ToEngine(InputObject!);
        try
        {
            if (ParameterSetName == FormatSet)
            {
                WriteObject(CredentialExport.Format(credentials, (ExportFormat)(int)Format, InputObject!.Region));
                return;
            }

            var path = Path is null
                ? SharedConfigFiles.CredentialsFilePath(ProcessEnvironment.Instance)
                : GetUnresolvedProviderPathFromPSPath(Path);
            var change = CredentialsFileWriter.PlanUpdate(path, ProfileName!, credentials);
            if (!change.HasChanges)
            {
                WriteVerbose($"The profile '{ProfileName}' in {path} already holds these credentials.");
            }
            else if (ShouldProcess(change.Describe(), $"Write credentials to profile '{ProfileName}' in {path}?", "Export-AwsCredential"))
            {
                CredentialsFileWriter.Apply(change);
            }

            if (PassThru)
            {
                WriteObject(new System.IO.FileInfo(path));
            }
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
