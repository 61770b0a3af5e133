using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml;

namespace AwsLogin.Completers;

/// <summary>Completes the profiles Connect-AwsSaml cached role credentials for (local files only).</summary>
internal sealed class SamlProfileCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return CompletionText.Matching(new SamlProfileIndex(new EngineContext(ProcessEnvironment.Instance, NullEngineLog.Instance)).ProfileNames(), wordToComplete);
        }
        catch (AwsLoginException)
        {
            return Enumerable.Empty<CompletionResult>();
        }
    }
}
