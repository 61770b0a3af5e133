using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using System.Web;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Open-AwsConsole for IAM Identity Center role credentials taken from the AWS CLI token cache.</summary>
public sealed class SsoConsoleTests : SsoTestBase
{
    private FakeSignIn _signIn = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _signIn = await FakeSignIn.StartAsync(_aws.Sts);
        _aws.Set("AWS_ENDPOINT_URL_SIGNIN", _signIn.Endpoint.ToString());
    }

    public override async Task DisposeAsync()
    {
        await _signIn.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task SsoRoleCredentialsOpenTheConsole()
    {
        var seeded = SeedCachedToken();

        var result = _shell.Run("Open-AwsConsole -ProfileName dev -Service s3 -PassThru").ThrowOnError();

        var output = Assert.Single(result.Output);
        var url = (string)output.Properties["Url"].Value;
        var ssoKeys = _aws.Sts.IssuedCredentials.Last();
        Assert.Contains("AWSReservedSSO_" + Role, ssoKeys.Arn);
        var login = HttpUtility.ParseQueryString(new Uri(url).Query);
        Assert.Equal(ssoKeys.AccessKeyId, _signIn.SessionOf(login["SigninToken"]!));
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1", await FollowAsync(url));
        Assert.Equal(0, _aws.Sts.CountCalls("GetFederationToken"));

        var text = result.AllText() + _shell.Host.Text;
        Assert.DoesNotContain(seeded.AccessToken, text);
        Assert.DoesNotContain(ssoKeys.SecretAccessKey, text);
        Assert.DoesNotContain(ssoKeys.SessionToken, text);
        Assert.DoesNotContain(login["SigninToken"]!, text);
    }

    private static async Task<string> FollowAsync(string url)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!.AbsoluteUri;
    }
}
