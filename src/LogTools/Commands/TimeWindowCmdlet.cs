using System.Management.Automation;

namespace LogTools.Commands;

/// <summary>
/// The time filters every Get- cmdlet of the telemetry shares: -Since and -Until (-After and -Before as aliases), or
/// -Today in its own parameter set.
/// </summary>
public abstract class TimeWindowCmdlet : TelemetryCmdlet
{
    protected const string RangeSet = "Range";
    protected const string TodaySet = "Today";

    /// <summary>At or after this time; a date without a zone is local.</summary>
    [Parameter(ParameterSetName = RangeSet)]
    [Alias("After")]
    public DateTime? Since { get; set; }

    /// <summary>Before this time.</summary>
    [Parameter(ParameterSetName = RangeSet)]
    [Alias("Before")]
    public DateTime? Until { get; set; }

    /// <summary>Today, in the local calendar. Each cmdlet declares it, so that it can keep its own older alias.</summary>
    public abstract SwitchParameter Today { get; set; }
}
