using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommon.Get, "AwsLoginProfile")]
[OutputType(typeof(AwsLoginProfile))]
public sealed class GetAwsLoginProfileCommand : AwsLoginCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LoginProfileNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ProfileName { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var entries = SamlLoginProfileStore.List(ProfileStore.Load(ProcessEnvironment.Instance));
            foreach (var pattern in ProfileName ?? new[] { "*" })
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                var found = false;
                foreach (var entry in entries)
                {
                    if (!wildcard.IsMatch(entry.ProfileName))
                    {
                        continue;
                    }

                    found = true;
                    if (entry.Error is { } error)
                    {
                        WriteEngineError(error);
                    }
                    else
                    {
                        WriteObject(OutputMapper.ToOutput(entry.Profile!));
                    }
                }

                if (!found && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteEngineError(SamlLoginProfileStore.NotFoundError(pattern));
                }
            }
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }
}
