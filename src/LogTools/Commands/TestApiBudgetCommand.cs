using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>
/// Test-ApiBudget: compares today's or this month's spend with a limit. Scripts act on Exceeded, on
/// -Quiet's $true (within budget) / $false, or on the BudgetExceeded error (-ErrorOnExceeded; with -ErrorAction Stop, pwsh -File exits 1).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ApiBudget")]
[OutputType("LogTools.Engine.Sessions.ApiBudgetStatus", "System.Boolean")]
public sealed class TestApiBudgetCommand : ApiCostCmdlet
{
    /// <summary>The budget in USD for the period.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public decimal Limit { get; set; }

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Day", "Month", IgnoreCase = true)]
    public string Period { get; set; } = "Day";

    /// <summary>Write only $true (within budget) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Also write a BudgetExceeded error when the budget is exceeded.</summary>
    [Parameter]
    public SwitchParameter ErrorOnExceeded { get; set; }

    protected override void Process()
    {
        var zone = OpenZone();
        ForInput(() =>
        {
            ApiBudget.CheckLimit(Limit);
            var report = OpenReport(includeArchive: false);
            var status = ApiBudget.Check(report, Limit, Enum.Parse<CalendarUnit>(Period, ignoreCase: true), zone, DateTimeOffset.UtcNow);
            WarnUnpriced(report);
            WriteObject(Quiet ? !status.Exceeded : status);
            if (status.Exceeded && ErrorOnExceeded)
            {
                WriteEngineError(ApiBudget.Exceeded(status));
            }
        });
    }
}
