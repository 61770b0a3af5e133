using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

/// <summary>
/// The parameters that say whose IAM Identity Center token a command uses: an sso-session, a profile, a start
/// URL (the cached token), or a token obtained elsewhere (-AccessToken, -CacheFile).
/// </summary>
public abstract class AwsSsoSourceCmdlet : AwsLoginCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SsoSessionCompleter))]
    public string? SsoSession { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? ProfileName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? StartUrl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SsoRegion")]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CacheFile { get; set; }

    internal SsoTokenSource BuildSource() => new()
    {
        SessionName = Blank(SsoSession),
        ProfileName = Blank(ProfileName),
        StartUrl = Blank(StartUrl),
        Region = Blank(Region),
        AccessToken = AccessToken,
        CacheFile = CacheFile is null ? null : GetUnresolvedProviderPathFromPSPath(CacheFile),
    };

    // Objects piped by property name may carry null or empty values (a legacy session has no SsoSession).
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
