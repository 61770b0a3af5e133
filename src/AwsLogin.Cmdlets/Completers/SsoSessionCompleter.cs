using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsLogin.Engine.Config;

namespace AwsLogin.Completers;

/// <summary>Completes [sso-session NAME] names from the shared config file (local file only, no network).</summary>
internal sealed class SsoSessionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> names;
        try
        {
            names = ProfileStore.Load(ProcessEnvironment.Instance).SsoSessionNames;
        }
        catch (Engine.AwsLoginException)
        {
            return Enumerable.Empty<CompletionResult>();
        }

        return CompletionText.Matching(names, wordToComplete);
    }
}
