using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// What every cmdlet error must be: the one error of <paramref name="result"/>, with this FullyQualifiedErrorId,
    /// category and target, an AwsLogin exception, and a message and recommended action.
    /// </summary>
    protected static ErrorRecord AssertErrorIdentity(RunResult result, string command, string errorId, ErrorCategory category, object? target)
    {
        var error = result.SingleError;
        Assert.Equal(errorId + "," + command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Equal("AwsLogin.AwsLoginError", error.Exception.GetType().FullName);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        return error;
    }

    /// <summary>What gives an issued SAML assertion away in text: its base64 (whole and its start), its signature value and IDs, and SAML markup.</summary>
    protected static IEnumerable<string> AssertionFingerprints(IEnumerable<string> base64Assertions)
    {
        foreach (var assertion in base64Assertions)
        {
            yield return assertion;
            yield return assertion[..60];
            var xml = Encoding.UTF8.GetString(Convert.FromBase64String(assertion));
            foreach (Match match in Regex.Matches(xml, "SignatureValue[^>]*>([^<]+)<"))
            {
                yield return match.Groups[1].Value.Trim();
            }

            foreach (Match match in Regex.Matches(xml, " ID=\"(_[0-9a-f]+)\""))
            {
                yield return match.Groups[1].Value;
            }
        }

        yield return "<saml";
        yield return "PHNhbWxw";
    }

    /// <summary>None of <paramref name="secrets"/>, nor any key or token the fake STS issued, is in the streams or host text.</summary>
    protected void AssertNoneIn(RunResult result, IEnumerable<string> secrets)
    {
        var text = result.AllText() + _shell.Host.Text;
        var all = secrets
            .Concat(_aws.Sts.IssuedCredentials.SelectMany(i => new[] { i.SecretAccessKey, i.SessionToken }))
            .Append(_aws.BaseUser.SecretAccessKey);
        foreach (var secret in all)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public virtual async Task DisposeAsync()
    {
        _shell.Dispose();
        await _aws.DisposeAsync();
    }
}
