using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

[Cmdlet(VerbsData.Import, "AwsSsoToken", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsSsoSession))]
public sealed class ImportAwsSsoTokenCommand : AwsLoginCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SsoSessionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SsoSession { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StartUrl { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    public string? Region { get; set; }

    protected override void ProcessRecord()
    {
        var destination = new SsoTokenSource { SessionName = SsoSession, ProfileName = ProfileName, StartUrl = StartUrl, Region = Region };
        if (LiteralPath is not null)
        {
            foreach (var literal in LiteralPath)
            {
                Import(GetUnresolvedProviderPathFromPSPath(literal), destination);
            }

            return;
        }

        foreach (var pattern in Path!)
        {
            System.Collections.ObjectModel.Collection<string> resolved;
            try
            {
                resolved = GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException)
            {
                // Reported by the engine with its own ErrorId, like any missing token file.
                Import(GetUnresolvedProviderPathFromPSPath(pattern), destination);
                continue;
            }

            foreach (var file in resolved)
            {
                Import(file, destination);
            }
        }
    }

    private void Import(string file, SsoTokenSource destination)
    {
        try
        {
            var (cacheFile, description) = RunEngine((context, _) => System.Threading.Tasks.Task.FromResult(new SsoService(context).ImportDestination(file, destination)));
            if (!ShouldProcess(cacheFile, $"Import the IAM Identity Center token from '{file}' for {description}"))
            {
                return;
            }

            var session = RunEngine((context, _) => System.Threading.Tasks.Task.FromResult(new SsoService(context).Import(file, destination, write: true)));
            WriteObject(OutputMapper.ToOutput(session));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
