using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Every IAM Identity Center failure gives its own ErrorRecord: id, category, target and a recommended action.</summary>
public sealed class SsoErrorTests : SsoTestBase
{
    private const string Connect = "AwsLogin.Commands.Sso.ConnectAwsSsoCommand";
    private const string GetRole = "AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand";
    private const string GetAccount = "AwsLogin.Commands.Sso.GetAwsSsoAccountCommand";
    private const string Import = "AwsLogin.Commands.Sso.ImportAwsSsoTokenCommand";

    private string RoleFromCorp => $"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp";

    [Fact]
    public void NotSignedIn()
    {
        var result = _shell.Run(RoleFromCorp);

        AssertError(result, "SsoNotSignedIn", GetRole, ErrorCategory.AuthenticationError, "corp");
        Assert.Contains("Connect-AwsSso -SsoSession corp", result.SingleError.ErrorDetails.RecommendedAction);
        Assert.Empty(BrowserVisits());
    }

    [Fact]
    public async Task CredentialProcessModeNeverSignsInAndSaysWhatToRun()
    {
        var result = await ChildPowerShell.RunAsync(ChildPowerShell.Import + "Get-AwsRoleCredential -ProfileName dev -AsProcessJson", _aws.ChildEnvironment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Contains("Connect-AwsSso -ProfileName dev", result.StandardError);
        Assert.Empty(BrowserVisits());
        Assert.Empty(_sso.Calls);
    }

    [Fact]
    public void TokenExpiredAndNotRefreshable()
    {
        SeedCachedToken(withRefreshToken: false, accessTokenLifetime: TimeSpan.FromSeconds(1));
        System.Threading.Thread.Sleep(1500);

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName dev");

        AssertError(result, "SsoTokenExpired", GetRole, ErrorCategory.AuthenticationError, "dev");
        Assert.Equal(0, _sso.CountCalls("CreateToken"));
    }

    [Fact]
    public void TokenExpiredWithAnExpiredRegistration()
    {
        _sso.RegistrationLifetime = TimeSpan.FromSeconds(1);
        SeedCachedToken(accessTokenLifetime: TimeSpan.FromSeconds(1));
        System.Threading.Thread.Sleep(1500);

        var result = _shell.Run(RoleFromCorp);

        AssertError(result, "SsoTokenExpired", GetRole, ErrorCategory.AuthenticationError, "corp");
        Assert.Contains("registration expired", result.SingleError.Exception.Message);
        Assert.Equal(0, _sso.CountCalls("CreateToken"));
    }

    [Fact]
    public void RevokedToken()
    {
        SeedCachedToken();
        _sso.RevokeTokens();

        AssertError(_shell.Run(RoleFromCorp), "SsoTokenRejected", GetRole, ErrorCategory.AuthenticationError, $"{Role} in account {Account}");
    }

    [Fact]
    public void RoleNotAssigned()
    {
        SeedCachedToken();

        AssertError(_shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName AdministratorAccess -SsoSession corp"),
            "SsoAccessDenied", GetRole, ErrorCategory.PermissionDenied, $"AdministratorAccess in account {Account}");
    }

    [Theory]
    [InlineData("ResourceNotFoundException", 404, "SsoRoleNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("InvalidRequestException", 400, "SsoInvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData("TooManyRequestsException", 429, "SsoThrottled", ErrorCategory.LimitsExceeded)]
    [InlineData("InternalServerException", 500, "SsoServiceError", ErrorCategory.InvalidResult)]
    public void PortalErrors(string code, int status, string errorId, ErrorCategory category)
    {
        SeedCachedToken();
        _sso.InjectError("GetRoleCredentials", code, status, times: 10);

        AssertError(_shell.Run(RoleFromCorp), errorId, GetRole, category, $"{Role} in account {Account}");
    }

    [Fact]
    public async Task PortalUnreachable()
    {
        SeedCachedToken();
        await _sso.StopAsync();

        AssertError(_shell.Run("Get-AwsSsoAccount -SsoSession corp"), "EndpointUnreachable", GetAccount, ErrorCategory.ConnectionError);
    }

    [Fact]
    public void DeniedInTheBrowser()
    {
        _sso.BrowserAction = SsoBrowserAction.Deny;

        AssertError(_shell.Run("Connect-AwsSso -SsoSession corp"), "SsoAuthorizationDenied", Connect, ErrorCategory.PermissionDenied, "corp");
        Assert.False(File.Exists(CorpTokenPath));
    }

    [Fact]
    public void BrowserClosedTimesOutCleanly()
    {
        _sso.BrowserAction = SsoBrowserAction.Abandon;

        var result = _shell.Run("Connect-AwsSso -SsoSession corp -TimeoutSeconds 2");

        AssertError(result, "SsoSignInTimedOut", Connect, ErrorCategory.OperationTimeout, "corp");
        var redirect = new Uri(_sso.Calls.Single(c => c.Operation == "Authorize").Parameters["redirect_uri"]);
        using var client = new System.Net.Sockets.TcpClient();
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => client.Connect(System.Net.IPAddress.Loopback, redirect.Port));
    }

    [Fact]
    public void ForgedState()
    {
        _aws.Set("AWSLOGIN_TEST_BROWSER_MODE", "forge-state");

        AssertError(_shell.Run("Connect-AwsSso -SsoSession corp -TimeoutSeconds 20"), "SsoStateMismatch", Connect, ErrorCategory.SecurityError, "corp");
        Assert.Equal(0, _sso.CountCalls("CreateToken"));
    }

    [Fact]
    public void ErrorInTheRedirect()
    {
        _aws.Set("AWSLOGIN_TEST_BROWSER_MODE", "callback-error");

        var result = _shell.Run("Connect-AwsSso -SsoSession corp -TimeoutSeconds 20");

        AssertError(result, "SsoSignInFailed", Connect, ErrorCategory.AuthenticationError, "corp");
        Assert.Contains("server_error", result.SingleError.Exception.Message);
    }

    [Fact]
    public void BrowserNotFound()
    {
        var missing = Path.Combine(Home, "no-such-browser");

        AssertError(_shell.Run($"Connect-AwsSso -SsoSession corp -Browser '{missing}'"), "BrowserNotFound", Connect, ErrorCategory.ObjectNotFound, missing);
        Assert.Equal(0, _sso.CountCalls("RegisterClient"));
    }

    [Fact]
    public void NotAnIdentityCenterPortal()
    {
        AssertError(_shell.Run("Connect-AwsSso -StartUrl https://example.com/start -Region us-east-1"), "SsoInvalidStartUrl", Connect, ErrorCategory.InvalidArgument, "https://example.com/start");
        AssertError(_shell.Run("Connect-AwsSso -StartUrl example.com/start -Region us-east-1"), "SsoInvalidStartUrl", Connect, ErrorCategory.InvalidArgument, "example.com/start");
        Assert.Empty(BrowserVisits());
    }

    [Fact]
    public void DeviceCodeExpires()
    {
        _sso.DeviceCodeLifetime = TimeSpan.FromSeconds(2);

        AssertError(_shell.Run("Connect-AwsSso -SsoSession corp -UseDeviceCode -NoBrowser"), "SsoSignInTimedOut", Connect, ErrorCategory.OperationTimeout, "corp");
    }

    [Fact]
    public void RegistrationRefusedTwice()
    {
        _sso.InjectError("StartDeviceAuthorization", "InvalidClientException", 401, times: 2);

        AssertError(_shell.Run("Connect-AwsSso -SsoSession corp -UseDeviceCode -NoBrowser"), "SsoClientRejected", Connect, ErrorCategory.AuthenticationError, "corp");
        Assert.Equal(2, _sso.CountCalls("RegisterClient"));
    }

    [Fact]
    public void UnknownSsoSession()
    {
        AssertError(_shell.Run("Connect-AwsSso -SsoSession nosuch"), "SsoSessionNotFound", Connect, ErrorCategory.ObjectNotFound, "nosuch");
        AssertError(_shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession nosuch"), "SsoSessionNotFound", GetRole, ErrorCategory.ObjectNotFound, "nosuch");
    }

    [Fact]
    public void NothingNamedWithSeveralSessions()
    {
        _aws.WriteConfig($"[sso-session a]\nsso_start_url = {_sso.StartUrl}\nsso_region = us-east-1\n[sso-session b]\nsso_start_url = https://b.awsapps.com/start\nsso_region = us-east-1\n");

        AssertError(_shell.Run("Connect-AwsSso"), "SsoTargetRequired", Connect, ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void RegionUnknownForAGivenToken()
    {
        AssertError(_shell.Run("Get-AwsSsoAccount -AccessToken not-a-real-token-0000000000"), "SsoRegionRequired", GetAccount, ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void TokenFiles()
    {
        var bad = Path.Combine(Home, "bad.json");
        File.WriteAllText(bad, "{\"startUrl\": \"x\"}");

        AssertError(_shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -CacheFile '{Path.Combine(Home, "none.json")}'"),
            "SsoTokenFileNotFound", GetRole, ErrorCategory.ObjectNotFound, Path.Combine(Home, "none.json"));
        AssertError(_shell.Run($"Import-AwsSsoToken -LiteralPath '{bad}'"), "SsoTokenFileInvalid", Import, ErrorCategory.InvalidData, bad);
    }

    [Fact]
    public void ImportForTheWrongStartUrl()
    {
        var elsewhere = Path.Combine(Home, "elsewhere.json");
        SeedCachedToken(path: elsewhere);
        File.AppendAllText(_aws.ConfigPath, "[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n");

        AssertError(_shell.Run($"Import-AwsSsoToken -Path '{elsewhere}' -SsoSession other"), "SsoStartUrlMismatch", Import, ErrorCategory.InvalidData, elsewhere);
    }
}
