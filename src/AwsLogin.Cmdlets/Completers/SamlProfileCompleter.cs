using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml;

namespace AwsLogin.Completers;

/// <summary>Completes the profiles Connect-AwsSaml cached role credentials for, and login profiles (local files only).</summary>
internal sealed class SamlProfileCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            // Profiles with something cached, and login profiles (which may have nothing cached yet).
            var cached = new SamlProfileIndex(new EngineContext(ProcessEnvironment.Instance, NullEngineLog.Instance)).ProfileNames();
            var loginProfiles = Engine.Saml.LoginProfiles.SamlLoginProfileStore.List(ProfileStore.Load(ProcessEnvironment.Instance)).Select(entry => entry.ProfileName);
            var names = cached.Concat(loginProfiles).Distinct(System.StringComparer.Ordinal).OrderBy(name => name, System.StringComparer.OrdinalIgnoreCase).ToArray();
            return CompletionText.Matching(names, wordToComplete);
        }
        catch (AwsLoginException)
        {
            return Enumerable.Empty<CompletionResult>();
        }
    }
}
