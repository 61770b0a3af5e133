using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using System.Web;
using System.Xml.Linq;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Open-AwsConsole against the fake STS and the fake federation sign-in endpoint, in a hosted runspace.</summary>
public sealed class ConsoleTests : IAsyncLifetime
{
    private const string Command = "AwsLogin.Commands.Console.OpenAwsConsoleCommand";
    private const string RoleA = "arn:aws:iam::222222222222:role/RoleA";
    private const string RoleB = "arn:aws:iam::333333333333:role/RoleB";
    private const string PassThroughPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private AwsTestEnvironment _aws = null!;
    private FakeSignIn _signIn = null!;
    private PowerShellSession _shell = null!;
    private readonly List<string> _urls = new();

    public async Task InitializeAsync()
    {
        _aws = await AwsTestEnvironment.StartAsync();
        _signIn = await FakeSignIn.StartAsync(_aws.Sts);
        _aws.Set("AWS_ENDPOINT_URL_SIGNIN", _signIn.Endpoint.ToString());
        _shell = new PowerShellSession();
    }

    public async Task DisposeAsync()
    {
        _shell.Dispose();
        await _signIn.DisposeAsync();
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task RoleCredentialPipedFromGetAwsRoleCredentialGivesALoginUrlTheSignInEndpointAccepts()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Open-AwsConsole -Service ec2 -Region eu-west-1 -SignOut -PassThru -Verbose").ThrowOnError();

        var output = Assert.Single(result.Output);
        Assert.Equal("AwsLogin.AwsConsoleUrl", output.BaseObject.GetType().FullName);
        var url = Url(output);
        var role = _aws.Sts.IssuedCredentials.Single();
        Assert.Equal(role.AccessKeyId, _signIn.SessionOf(SigninToken(url)));
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1", output.Properties["Destination"].Value);
        Assert.Equal((role.Arn, "222222222222", "eu-west-1", "aws", true), (output.Properties["Arn"].Value, output.Properties["AccountId"].Value, output.Properties["Region"].Value, output.Properties["Partition"].Value, output.Properties["SignsOutFirst"].Value));
        Assert.Equal(1, _aws.Sts.CountCalls("AssumeRole"));

        Assert.Equal("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1", await FollowAsync(url));
        Assert.NotEmpty(result.Verbose);
        AssertNoSecrets(result);
    }

    [Fact]
    public async Task IamUserLongTermKeysGoThroughGetFederationTokenWithAPassThroughPolicy()
    {
        var bob = _aws.Sts.SeedUser("bob");

        var result = _shell.Run($"Open-AwsConsole -AccessKey {bob.AccessKeyId} -SecretKey {bob.SecretAccessKey} -PassThru").ThrowOnError();

        var call = _aws.Sts.Calls.Single();
        Assert.Equal(("GetFederationToken", bob.AccessKeyId), (call.Action, call.SigningAccessKeyId));
        Assert.Equal(PassThroughPolicy, call.Parameters["Policy"]);
        var url = Url(Assert.Single(result.Output));
        Assert.Equal(call.IssuedAccessKeyId, _signIn.SessionOf(SigninToken(url)));
        Assert.Equal("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1", await FollowAsync(url));
        AssertNoSecrets(result, bob.SecretAccessKey);
    }

    [Theory]
    [InlineData("'" + RoleA + "','" + RoleB + "'")]
    [InlineData("'" + RoleA + "," + RoleB + "'")]
    public void ChainedRoleWithSessionDurationIsRefusedBeforeAnyNetworkCall(string roleArns)
    {
        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn {roleArns} -SessionDuration 3600 -PassThru");

        var error = result.SingleError;
        Assert.Equal("SessionDurationNotAllowed," + Command, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(RoleB, error.TargetObject);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        Assert.Empty(_aws.Sts.Calls);
        Assert.Empty(_signIn.Calls);
    }

    [Fact]
    public async Task ASingleRoleMayHaveASessionDuration()
    {
        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -SessionDuration 7200 -Service s3 -PassThru").ThrowOnError();

        Assert.Equal("7200", _signIn.Calls.Single(c => c.Action == "getSigninToken").SessionDuration);
        Assert.Equal("https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1", await FollowAsync(Url(Assert.Single(result.Output))));
    }

    [Fact]
    public void WhatIfOpensNothingAndCallsNothing()
    {
        var browser = BrowserScript(out var received);

        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -Service iam -Browser '{browser}' -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.False(File.Exists(received));
        Assert.Empty(_aws.Sts.Calls);
        Assert.Empty(_signIn.Calls);
        Assert.Contains("What if", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("https://us-east-1.console.aws.amazon.com/iam/home?region=us-east-1", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains(RoleA, _shell.Host.Text, StringComparison.Ordinal);
        AssertNoSecrets(result);
    }

    [UnixFact]
    public async Task TheBrowserReceivesTheSignInUrl()
    {
        var browser = BrowserScript(out var received);
        try
        {
            var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -Service cloudwatch -Browser '{browser}' -Verbose").ThrowOnError();

            Assert.Empty(result.Output);
            var url = File.ReadAllText(received);
            _urls.Add(url);
            Assert.StartsWith(_signIn.Endpoint + "federation?Action=login&", url, StringComparison.Ordinal);
            Assert.Equal("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1", await FollowAsync(url));
            AssertNoSecrets(result);
        }
        finally
        {
            File.Delete(received);
        }
    }

    [Fact]
    public async Task WithoutSignOutTheUrlIsTheLoginItself()
    {
        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -PassThru").ThrowOnError();

        var output = Assert.Single(result.Output);
        Assert.False((bool)output.Properties["SignsOutFirst"].Value);
        Assert.StartsWith(_signIn.Endpoint + "federation?Action=login&", Url(output), StringComparison.Ordinal);
        await FollowAsync(Url(output));
        Assert.Equal(0, _signIn.CountCalls("logout"));
    }

    [UnixFact]
    public async Task SignOutSendsTheBrowserThroughTheConsoleSignOutFirst()
    {
        var browser = BrowserScript(out var received);
        try
        {
            _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -SignOut -Browser '{browser}'").ThrowOnError();

            var url = File.ReadAllText(received);
            _urls.Add(url);
            Assert.StartsWith(_signIn.Endpoint + "oauth?Action=logout&redirect_uri=", url, StringComparison.Ordinal);
            Assert.Equal("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1", await FollowAsync(url));
            Assert.Equal(1, _signIn.CountCalls("logout"));
        }
        finally
        {
            File.Delete(received);
        }
    }

    [Fact]
    public void AMissingBrowserIsReportedBeforeASignInTokenIsMade()
    {
        var missing = Path.Combine(_aws.Root, "no-such-browser");

        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -Browser '{missing}'");

        AssertError(result, "BrowserNotFound", ErrorCategory.ObjectNotFound, missing);
        Assert.Empty(_signIn.Calls);
    }

    [UnixFact]
    public void ABrowserThatFailsIsBrowserFailed()
    {
        var browser = Path.Combine(_aws.Root, "failing-browser");
        File.WriteAllText(browser, "#!/bin/sh\necho \"no display for $1\" >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -Browser '{browser}'");

        AssertError(result, "BrowserFailed", ErrorCategory.OpenError, browser);
        Assert.Equal(1, _signIn.CountCalls("getSigninToken"));
    }

    [Fact]
    public void ExpiredCredentialsAreRejectedByTheSignInEndpoint()
    {
        var credential = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'").ThrowOnError().Output.Single();
        _aws.Sts.ExpireCredential((string)credential.Properties["AccessKeyId"].Value);

        var result = _shell.Run("$c | Open-AwsConsole -PassThru", new Dictionary<string, object?> { ["c"] = credential });

        AssertError(result, "SigninTokenRejected", ErrorCategory.AuthenticationError, null);
        Assert.Equal(400, _signIn.Calls.Single().HttpStatus);
    }

    [Fact]
    public async Task AnUnreachableSignInEndpointIsAConnectionError()
    {
        await _signIn.StopAsync();

        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -PassThru");

        AssertError(result, "EndpointUnreachable", ErrorCategory.ConnectionError, null);
    }

    [Theory]
    [InlineData("-Destination https://example.com/ec2", "InvalidConsoleDestination")]
    [InlineData("-Service EC2", "InvalidConsoleDestination")]
    [InlineData("-Service ec2 -Destination https://console.aws.amazon.com/s3/home", "InvalidConsoleDestination")]
    [InlineData("-Region cn-north-1", "RegionNotInPartition")]
    [InlineData("-SignInEndpoint http://signin.example.com", "InvalidSignInEndpoint")]
    public void BadDestinationsRegionsAndEndpointsAreRefusedBeforeAnyCall(string arguments, string errorId)
    {
        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' {arguments} -PassThru");

        AssertError(result, errorId, ErrorCategory.InvalidArgument, null);
        Assert.Empty(_aws.Sts.Calls);
        Assert.Empty(_signIn.Calls);
    }

    [Fact]
    public void GetSessionTokenCredentialsCannotSignIn()
    {
        var result = _shell.Run("Open-AwsConsole -ProfileName base -SerialNumber arn:aws:iam::111111111111:mfa/alice -TokenCode 123456 -PassThru");

        AssertError(result, "ConsoleCredentialsNotSupported", ErrorCategory.InvalidOperation, null);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void SessionDurationOutsideItsRangeIsAParameterError()
    {
        var result = _shell.Run($"Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -SessionDuration 600");

        Assert.Equal("ParameterArgumentValidationError," + Command, result.SingleError.FullyQualifiedErrorId);
    }

    [Fact]
    public void TheDefaultViewAndToStringNeverShowTheUrl()
    {
        var result = _shell.Run($"$u = Open-AwsConsole -ProfileName base -RoleArn '{RoleA}' -Service ec2 -PassThru; $u | Out-Default; $u.ToString(); \"$u\"").ThrowOnError();

        var url = Url(_shell.Run("$u").Output.Single());
        Assert.Contains("Valid until (UTC)", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1", _shell.Host.Text, StringComparison.Ordinal);
        Assert.All(result.Output, o => Assert.Contains("Console sign-in URL ********", o.ToString(), StringComparison.Ordinal));
        AssertNoSecrets(result);
        Assert.DoesNotContain(SigninToken(url), _shell.Host.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoViewShowsTheUrlProperty()
    {
        var format = XDocument.Load(Path.Combine(ModulePathsAttribute.Current.ModuleDirectory, "AwsLogin.Format.ps1xml"));
        var views = format.Descendants("View").Where(v => v.Descendants("TypeName").Any(t => t.Value == "AwsLogin.AwsConsoleUrl")).ToList();

        Assert.Equal(2, views.Count);
        Assert.DoesNotContain("Url", views.SelectMany(v => v.Descendants("PropertyName")).Select(e => e.Value));
        Assert.DoesNotContain("$_.Url", string.Join("\n", views.SelectMany(v => v.Descendants("ScriptBlock")).Select(e => e.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public void ServicesComplete()
    {
        using var shell = PowerShell.Create(_shell.Runspace);
        var input = "Open-AwsConsole -Service cloud";
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(new[] { "cloudformation", "cloudfront", "cloudtrail", "cloudwatch" }, completion.CompletionMatches.Select(m => m.CompletionText));
    }

    private string Url(PSObject output)
    {
        var url = (string)output.Properties["Url"].Value;
        _urls.Add(url);
        return url;
    }

    private static string SigninToken(string url)
    {
        var login = HttpUtility.ParseQueryString(new Uri(url).Query)["redirect_uri"] ?? url;
        return HttpUtility.ParseQueryString(new Uri(login).Query)["SigninToken"]!;
    }

    // Follows the sign-out and login redirects as a browser would; returns the console page the login leads to.
    private static async Task<string> FollowAsync(string url)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var next = new Uri(url);
        while (true)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            next = response.Headers.Location!;
            if (!next.IsLoopback)
            {
                return next.AbsoluteUri;
            }
        }
    }

    // A stand-in browser that writes its arguments to a file next to it (the file holds a secret: tests delete it).
    private string BrowserScript(out string received)
    {
        var path = Path.Combine(_aws.Root, "browser");
        received = Path.Combine(_aws.Root, "received-url");
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s' \"$1\" > '{received}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private void AssertNoSecrets(RunResult result, params string[] more)
    {
        var text = result.AllText() + _shell.Host.Text;
        var secrets = new List<string> { _aws.BaseUser.SecretAccessKey };
        secrets.AddRange(more);
        foreach (var issued in _aws.Sts.IssuedCredentials)
        {
            secrets.Add(issued.SecretAccessKey);
            secrets.Add(issued.SessionToken);
        }

        foreach (var url in _urls)
        {
            secrets.Add(url);
            secrets.Add(SigninToken(url));
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private void AssertError(RunResult result, string errorId, ErrorCategory category, string? target)
    {
        var error = result.SingleError;
        Assert.Equal(errorId + "," + Command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (target is not null)
        {
            Assert.Equal(target, error.TargetObject);
        }

        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        AssertNoSecrets(result);
    }
}

/// <summary>A fact that runs a shell script as a program; skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: the stand-in browser is a shell script.";
        }
    }
}
