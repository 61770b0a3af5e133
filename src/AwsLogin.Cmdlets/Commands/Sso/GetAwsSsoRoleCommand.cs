using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using AwsLogin.Engine;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Commands.Sso;

[Cmdlet(VerbsCommon.Get, "AwsSsoRole", DefaultParameterSetName = AccountIdSet)]
[OutputType(typeof(AwsSsoRole))]
public sealed class GetAwsSsoRoleCommand : AwsSsoSourceCmdlet
{
    private const string AccountIdSet = "AccountId";
    private const string InputObjectSet = "InputObject";

    // Accounts arrive one pipeline record at a time; they are listed together at the end, so that their
    // roles are fetched in parallel. Grouped by token source, in arrival order.
    private readonly List<(SsoTokenSource Source, List<SsoAccount> Accounts)> _batches = new();
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private bool _allAccounts;

    [Parameter(ParameterSetName = AccountIdSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern(@"^\d{12}$")]
    public string[]? AccountId { get; set; }

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    public AwsSsoAccount? InputObject { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = SsoService.DefaultThrottleLimit;

    protected override void ProcessRecord()
    {
        var source = BuildSource();
        var accounts = new List<SsoAccount>();
        if (InputObject is not null)
        {
            accounts.Add(new SsoAccount(InputObject.AccountId, InputObject.AccountName, InputObject.EmailAddress));
        }
        else if (AccountId is not null)
        {
            foreach (var id in AccountId)
            {
                accounts.Add(new SsoAccount(id, string.Empty, null));
            }
        }
        else
        {
            _allAccounts = true;
        }

        var batch = _batches.Find(b => b.Source == source);
        if (batch.Accounts is null)
        {
            _batches.Add((source, accounts));
        }
        else
        {
            batch.Accounts.AddRange(accounts);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var (source, accounts) in _batches)
        {
            List(source, _allAccounts && accounts.Count == 0 ? null : accounts);
        }
    }

    private void List(SsoTokenSource source, IReadOnlyList<SsoAccount>? accounts)
    {
        SsoRoleListing listing;
        try
        {
            listing = RunEngine((context, token) => new SsoService(context).ListRolesAsync(source, accounts, ThrottleLimit, ReportProgress, token));
        }
        catch (AwsLoginException ex)
        {
            WriteEngineError(ex);
            return;
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Listing IAM Identity Center roles", "Done") { RecordType = ProgressRecordType.Completed });
        }

        foreach (var role in listing.Roles)
        {
            WriteObject(OutputMapper.ToOutput(role, listing.Session!));
        }

        foreach (var failure in listing.Failures)
        {
            WriteEngineError(failure);
        }
    }

    // Called on engine threads; progress is written on the pipeline thread, at most five times a second.
    private void ReportProgress(int done, int known)
    {
        lock (_sinceProgress)
        {
            if (done < known && _sinceProgress.ElapsedMilliseconds < 200)
            {
                return;
            }

            _sinceProgress.Restart();
        }

        _ = OnPipelineThread(() =>
        {
            var percent = known == 0 ? 0 : (int)(100L * done / known);
            WriteProgress(new ProgressRecord(1, "Listing IAM Identity Center roles", $"{done} of {known} accounts") { PercentComplete = percent });
            return true;
        });
    }
}
