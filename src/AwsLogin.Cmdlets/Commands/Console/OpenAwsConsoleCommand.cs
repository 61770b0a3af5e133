using System.Management.Automation;
using System.Threading.Tasks;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Console;

namespace AwsLogin.Commands.Console;

[Cmdlet(VerbsCommon.Open, "AwsConsole", DefaultParameterSetName = ProfileSet, SupportsShouldProcess = true)]
[OutputType(typeof(AwsConsoleUrl))]
public sealed class OpenAwsConsoleCommand : AwsIdentityCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ConsoleServiceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    [Parameter]
    [ValidateRange(ConsoleOptions.MinSessionDuration, ConsoleOptions.MaxSessionDuration)]
    public int? SessionDuration { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Browser { get; set; }

    [Parameter]
    public SwitchParameter SignOut { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SignInEndpoint { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var identity = BuildRequest();
            var options = new ConsoleOptions
            {
                Service = Service,
                Region = Region,
                Destination = Destination,
                SessionDurationSeconds = SessionDuration,
                SignOutFirst = SignOut,
                SignInEndpoint = SignInEndpoint,
            };
            var plan = RunEngine((context, _) => Task.FromResult(new ConsoleSignIn(context).Plan(identity, options)));
            var browser = Browser is null || Browser.IndexOfAny(new[] { '/', '\\' }) < 0 ? Browser : GetUnresolvedProviderPathFromPSPath(Browser);
            if (!PassThru && !ShouldProcess(plan.Target, $"Open the AWS console at {plan.Destination} in {browser ?? "the default browser"}"))
            {
                return;
            }

            if (!PassThru)
            {
                RunEngine((context, _) => Task.FromResult(Check(new BrowserLauncher(context.Log, context.Environment), browser)));
            }

            var url = RunEngine((context, token) => new ConsoleSignIn(context).CreateAsync(plan, token));
            if (PassThru)
            {
                WriteObject(OutputMapper.ToOutput(url));
                return;
            }

            RunEngine((context, token) => Task.FromResult(new BrowserLauncher(context.Log, context.Environment).Open(url.Url, browser, token)));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
        }
    }

    private static bool Check(BrowserLauncher launcher, string? browser)
    {
        launcher.Check(browser);
        return true;
    }
}
