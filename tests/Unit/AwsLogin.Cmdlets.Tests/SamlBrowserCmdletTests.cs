using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>The real Chromium the browser sign-in tests start (installed once where missing); a failure, never a skip, when unavailable.</summary>
public sealed class ChromiumFixture
{
    public ChromiumFixture()
    {
        Path = Chromium.Path;
    }

    public string Path { get; }
}

/// <summary>
/// Connect-AwsSaml and Get-AwsSamlRole with -Provider Browser in a hosted runspace: a real headless Chromium signs in
/// at the fake browser IdP and the fake STS issues the credentials. Every browser started is checked to be gone; any
/// left by a failing test is killed.
/// </summary>
public sealed class SamlBrowserCmdletTests : CmdletTestBase, IClassFixture<ChromiumFixture>
{
    private const string Connect = "AwsLogin.Commands.Saml.ConnectAwsSamlCommand";
    private const string Password = "c0rrect h0rse b@ttery";
    private const string ProviderA = "arn:aws:iam::111111111111:saml-provider/Idp";
    private const string ProviderB = "arn:aws:iam::222222222222:saml-provider/Idp";
    private const string Admin = "arn:aws:iam::111111111111:role/Admin";
    private const string Reader = "arn:aws:iam::111111111111:role/Reader";
    private const string Deploy = "arn:aws:iam::222222222222:role/Deploy";

    private readonly string _chromium;
    private FakeBrowserIdp _idp = null!;

    public SamlBrowserCmdletTests(ChromiumFixture chromium)
    {
        _chromium = chromium.Path;
    }

    private string BrowserProfiles => Path.Combine(_aws.Root, "awslogin", "saml", "browser");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _idp = await FakeBrowserIdp.StartAsync();
        _idp.RegisterWith(_aws.Sts, ProviderA);
        _idp.RegisterWith(_aws.Sts, ProviderB);
        _idp.AddUser("alice", Password, new[] { $"{Admin},{ProviderA}", $"{Reader},{ProviderA}", $"{Deploy},{ProviderB}" });
    }

    public override async Task DisposeAsync()
    {
        Chromium.KillProcessesUnder(BrowserProfiles);
        await _idp.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void ConnectSignsInInTheBrowserAndTheKeptProfileSignsInAgainWithoutTheLoginForm()
    {
        _idp.AutoSubmit = ("alice", Password);

        var first = Run($"Connect-AwsSaml -Provider Browser -Headless -BrowserPath $chromium -EndpointUrl $url -RoleArn '{Admin}' -Verbose").ThrowOnError();

        var credential = Assert.Single(first.Output);
        Assert.Equal("AwsLogin.AwsCredential", credential.BaseObject.GetType().FullName);
        var issued = _aws.Sts.FindIssued((string)credential.Properties["AccessKeyId"].Value)!;
        Assert.Equal(Admin, issued.RoleArn);
        Assert.True(_aws.Sts.IsValidSession(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken));
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretAccessKey"].Value);
        Assert.Equal(("SamlRole", "arn:aws:sts::111111111111:assumed-role/Admin/alice"), (credential.Properties["Origin"].Value.ToString(), credential.Properties["Arn"].Value));
        Assert.Equal(1, _idp.LoginPosts);
        Assert.Contains(first.Verbose, v => v.StartsWith("Starting the browser " + _chromium + " headless with the profile folder " + BrowserProfiles, StringComparison.Ordinal));
        Assert.Contains(first.Verbose, v => v.Contains("Intercepted the form the identity provider posts to https://signin.aws.amazon.com/saml", StringComparison.Ordinal));
        Assert.Empty(Chromium.ProcessesUnder(BrowserProfiles));

        // Nobody types now: the profile's IdP session signs the user in.
        _idp.AutoSubmit = null;
        var roles = Run("Get-AwsSamlRole -Provider Browser -Headless -BrowserPath $chromium -EndpointUrl $url").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader, Deploy }, roles.Output.Select(o => (string)o.Properties["RoleArn"].Value));
        Assert.Equal("Browser", roles.Output[0].Properties["Provider"].Value.ToString());
        Assert.Equal(1, _idp.LoginPosts);
        var sessionCall = _idp.Calls.Last(c => c.Path == FakeBrowserIdp.StartPath);
        Assert.Equal(("GET", true, "Issued"), (sessionCall.Method, sessionCall.UsedSession, sessionCall.Outcome));
        Assert.Empty(Chromium.ProcessesUnder(BrowserProfiles));

        // Piped back in: the Admin credentials are cached for the user the browser sign-in recorded, so no browser
        // starts for them; Reader needs one more sign-in, through the kept session.
        var calls = _idp.Calls.Count;
        var piped = Run("$roles | Where-Object AccountId -eq '111111111111' | Connect-AwsSaml -Headless -BrowserPath $chromium", ("roles", roles.Output)).ThrowOnError();

        Assert.Equal(new[] { Admin, Reader }, piped.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        Assert.Equal(credential.Properties["AccessKeyId"].Value, piped.Output[0].Properties["AccessKeyId"].Value);
        Assert.Equal(1, _idp.LoginPosts);
        Assert.True(_idp.Calls.Count > calls);
        Assert.Empty(Chromium.ProcessesUnder(BrowserProfiles));
        AssertNoSecrets(first);
        AssertNoSecrets(roles);
        AssertNoSecrets(piped);
    }

    [Fact]
    public async Task ClosingTheBrowserBeforeTheSignInIsSamlBrowserClosed()
    {
        var running = Task.Run(() => Run($"Connect-AwsSaml -Provider Browser -Headless -BrowserPath $chromium -EndpointUrl $url -RoleArn '{Admin}'"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_idp.Calls.Any(c => c.Outcome == "LoginPage") && !running.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "The browser did not open the IdP's login page within 60 seconds.");
            await Task.Delay(50);
        }

        Assert.True(Chromium.KillProcessesUnder(BrowserProfiles) > 0);
        var result = await running;

        AssertError(result, "SamlBrowserClosed", ErrorCategory.OperationStopped, _idp.StartUrl.ToString());
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void ABrowserThatIsNotThereIsSamlBrowserNotFoundWithItsFullPath()
    {
        var relative = Run($"$null = $ExecutionContext.SessionState.Path.SetLocation($root); Connect-AwsSaml -Provider Browser -BrowserPath ./bin/chrome -EndpointUrl $url -RoleArn '{Admin}'", ("root", _aws.Root));
        var named = Run($"Get-AwsSamlRole -Provider Browser -BrowserPath no-such-browser-program -EndpointUrl $url");

        AssertError(relative, "SamlBrowserNotFound", ErrorCategory.ObjectNotFound, Path.Combine(_aws.Root, "bin", "chrome"));
        Assert.Equal(("SamlBrowserNotFound,AwsLogin.Commands.Saml.GetAwsSamlRoleCommand", ErrorCategory.ObjectNotFound, "no-such-browser-program"), (named.SingleError.FullyQualifiedErrorId, named.SingleError.CategoryInfo.Category, named.SingleError.TargetObject));
        Assert.Empty(_idp.Calls);
        Assert.False(Directory.Exists(BrowserProfiles));
    }

    [Fact]
    public void WhatIfStartsNoBrowser()
    {
        var result = Run($"Connect-AwsSaml -Provider Browser -BrowserPath $chromium -EndpointUrl $url -RoleArn '{Admin}' -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Empty(_idp.Calls);
        Assert.Contains("What if: ", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("Sign in in a browser and get AWS credentials for " + Admin, _shell.Host.Text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(BrowserProfiles));
    }

    private RunResult Run(string script, params (string Name, object Value)[] more)
    {
        var variables = new Dictionary<string, object?>
        {
            ["url"] = _idp.StartUrl,
            ["chromium"] = _chromium,
        };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return _shell.Run(script, variables);
    }

    private void AssertError(RunResult result, string errorId, ErrorCategory category, string target)
    {
        AssertErrorIdentity(result, Connect, errorId, category, target);
        AssertNoSecrets(result);
    }

    /// <summary>No assertion (whole, its start, its signature, its IDs), password or key in any stream or the host's text.</summary>
    private void AssertNoSecrets(RunResult result)
    {
        AssertNoneIn(result, AssertionSecrets().Concat(new[] { Password, Uri.EscapeDataString(Password) }));
    }

    private IEnumerable<string> AssertionSecrets() => AssertionFingerprints(_idp.IssuedAssertions);
}
