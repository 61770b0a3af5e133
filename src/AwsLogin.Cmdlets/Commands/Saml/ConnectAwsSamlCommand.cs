using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

[Cmdlet(VerbsCommunications.Connect, "AwsSaml", DefaultParameterSetName = RoleSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsCredential))]
public sealed class ConnectAwsSamlCommand : AwsSamlCmdlet
{
    private const string RoleSet = "Role";
    private const string AllSet = "All";

    private readonly List<(SignIn SignIn, List<string> RoleArns)> _signIns = new();

    // A login profile piped in may have no role: null binds as "no role given".
    [Parameter(ParameterSetName = RoleSet, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? RoleArn { get; set; }

    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    [Parameter]
    [ValidateRange(900, 43200)]
    public int? DurationSeconds { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidatePattern(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    public string? Region { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    // Roles piped in one by one are collected, so that one sign-in (one password, one Duo approval) serves them all.
    protected override void ProcessRecord()
    {
        SignIn signIn;
        try
        {
            signIn = CurrentSignIn();
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
            return;
        }

        var roles = (RoleArn ?? Array.Empty<string>()).Where(arn => arn is not null).SelectMany(arn => arn.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)).Select(arn => arn.Trim());
        var existing = _signIns.FindIndex(entry => entry.SignIn.Equals(signIn));
        if (existing < 0)
        {
            _signIns.Add((signIn, roles.ToList()));
        }
        else
        {
            _signIns[existing].RoleArns.AddRange(roles);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var (signIn, roleArns) in _signIns)
        {
            // Roles given replace the login profile's role; -All takes every role.
            if (roleArns.Count == 0 && !All && signIn.Settings.RoleArn is { } profileRole)
            {
                roleArns.Add(profileRole);
            }

            var wanted = All ? "every role the assertion grants" : roleArns.Count == 0 ? "the granted role (asking when there are several)" : string.Join(", ", roleArns.Distinct(StringComparer.Ordinal));
            var user = Credential?.UserName ?? signIn.Settings.UserName;
            var how = signIn.Settings.Provider == SamlProviderKind.Browser ? " in a browser" : user is null ? string.Empty : " as " + user;
            if (!ShouldProcess(signIn.Settings.EndpointUrl.ToString(), $"Sign in{how} and get AWS credentials for {wanted}"))
            {
                continue;
            }

            try
            {
                var credentials = RunEngine((context, token) =>
                {
                    var profileRequest = SamlSignIn.CreateRequest(signIn.Settings, CreateProvider(signIn, context));
                    var request = profileRequest with
                    {
                        RoleArns = All ? Array.Empty<string>() : roleArns.Distinct(StringComparer.Ordinal).ToArray(),
                        AllRoles = All,
                        RoleChooser = ChooseRoleAsync,
                        DurationSeconds = DurationSeconds ?? profileRequest.DurationSeconds,
                        Region = Region ?? profileRequest.Region,
                        ForceRefresh = Force,
                    };
                    return new SamlCredentialBroker(context).GetCredentialsAsync(request, token);
                });
                foreach (var credential in credentials)
                {
                    WriteObject(OutputMapper.ToOutput(credential));
                }
            }
            catch (AwsLoginException ex)
            {
                WriteEngineError(ex);
            }
        }
    }
}
