using System.Globalization;
using System.Linq;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Commands.Run;

/// <summary>What the credential server cmdlets share: how a target is named, and the messages they write.</summary>
internal static class ServerTarget
{
    /// <summary>The ShouldProcess target: the identity a server would serve.</summary>
    public static string Describe(AwsIdentityCmdlet cmdlet)
    {
        var roles = (cmdlet.RoleArn ?? new string[0]).SelectMany(r => r.Split(',')).Where(r => r.Length > 0).ToList();
        var start = cmdlet.ProfileName is { } profile ? "profile " + profile
            : cmdlet.AccessKey is not null ? "the keys given"
            : cmdlet.InputObject is { } credential ? credential.Source
            : "the default credentials";
        return roles.Count == 0 ? start : $"{start}, then role {string.Join(", then role ", roles)}";
    }

    /// <summary>Writes what the server logged from its own threads: warnings as warnings, the rest as verbose.</summary>
    public static void WriteMessages(AwsLoginCmdlet cmdlet, ServerHandle server)
    {
        foreach (var (isWarning, text) in server.Log.Drain())
        {
            if (isWarning)
            {
                cmdlet.WriteWarning(text);
            }
            else
            {
                cmdlet.WriteVerbose(text);
            }
        }
    }

    /// <summary>The AWS CLI and SDKs read a [default] profile with credentials before container credentials.</summary>
    public static void WarnIfDefaultProfileWins(AwsLoginCmdlet cmdlet)
    {
        if (ServedIdentity.DefaultProfileThatWins(ProcessEnvironment.Instance) is { } file)
        {
            cmdlet.WriteWarning(string.Format(
                CultureInfo.CurrentCulture,
                "The [default] profile in {0} has credentials. The AWS CLI and SDKs use it before the credential server, so they will not get the served credentials. Move the [default] credentials to a named profile.",
                file));
        }
    }
}
