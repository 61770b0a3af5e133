using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsLogin.Engine.Config;

namespace AwsLogin.Completers;

/// <summary>Completes names read from the shared config files (local files only, no network).</summary>
internal abstract class ConfigNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> names;
        try
        {
            names = NamesFrom(ProfileStore.Load(ProcessEnvironment.Instance));
        }
        catch (Engine.AwsLoginException)
        {
            return Enumerable.Empty<CompletionResult>();
        }

        return CompletionText.Matching(names, wordToComplete);
    }

    protected abstract IReadOnlyList<string> NamesFrom(ProfileStore store);
}

/// <summary>Completes profile names, in `aws configure list-profiles` order.</summary>
internal sealed class ProfileNameCompleter : ConfigNameCompleter
{
    protected override IReadOnlyList<string> NamesFrom(ProfileStore store) => store.ProfileNames;
}

/// <summary>Completes [sso-session NAME] names.</summary>
internal sealed class SsoSessionCompleter : ConfigNameCompleter
{
    protected override IReadOnlyList<string> NamesFrom(ProfileStore store) => store.SsoSessionNames;
}

/// <summary>Completes the names of login profiles (profiles with awslogin_saml_* settings).</summary>
internal sealed class LoginProfileNameCompleter : ConfigNameCompleter
{
    protected override IReadOnlyList<string> NamesFrom(ProfileStore store) =>
        Engine.Saml.LoginProfiles.SamlLoginProfileStore.List(store).Select(entry => entry.ProfileName).ToArray();
}
