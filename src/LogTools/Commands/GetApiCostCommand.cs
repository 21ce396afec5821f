using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-ApiCost: calls, tokens and USD over a time window, in total or grouped by a calendar period or a dimension.</summary>
[Cmdlet(VerbsCommon.Get, "ApiCost", DefaultParameterSetName = RangeSet)]
[OutputType("LogTools.Engine.Sessions.ApiCostRow")]
public sealed class GetApiCostCommand : ApiCostCmdlet
{
    private const string RangeSet = "Range";
    private const string TodaySet = "Today";
    private const string LastSet = "Last";

    /// <summary>Calls at or after this time. A date without a kind (e.g. '2025-06-01') is read in -TimeZone.</summary>
    [Parameter(ParameterSetName = RangeSet, ValueFromPipelineByPropertyName = true)]
    [Alias("After")]
    public DateTime? Since { get; set; }

    /// <summary>Calls before this time.</summary>
    [Parameter(ParameterSetName = RangeSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Before")]
    public DateTime? Until { get; set; }

    /// <summary>Today's calls (local calendar day of -TimeZone).</summary>
    [Parameter(ParameterSetName = TodaySet, Mandatory = true)]
    public SwitchParameter Today { get; set; }

    /// <summary>The calls of the last 30m, 24h, 7d, 2w ... (or a TimeSpan), up to now.</summary>
    [Parameter(ParameterSetName = LastSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Last { get; set; } = string.Empty;

    [Parameter(Position = 0)]
    [ValidateSet("None", "Day", "Week", "Month", "Model", "Task", "Worker", "Session", "Machine", IgnoreCase = true)]
    public string GroupBy { get; set; } = "None";

    /// <summary>Include the monthly archive databases made by Move-LogRecord.</summary>
    [Parameter]
    public SwitchParameter IncludeArchive { get; set; }

    protected override void End()
    {
        var zone = OpenZone();
        var (since, until) = TimeWindow.Resolve(Today, ParameterSetName == LastSet ? Last : null, Since, Until, zone, DateTimeOffset.UtcNow);
        var report = OpenReport(IncludeArchive);
        foreach (var row in report.Run(since, until, Enum.Parse<ApiCostGroup>(GroupBy, ignoreCase: true), zone))
        {
            WriteObject(row);
        }

        WarnUnpriced(report);
    }
}
