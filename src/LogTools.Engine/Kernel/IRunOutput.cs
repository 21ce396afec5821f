namespace LogTools.Engine;

/// <summary>
/// An output object of a LogTools job that is recorded as a run (Sync-LogSource, Import-LogHistory): it carries the
/// run's id, and says which event records it in the run's log and what it adds to the run's summary.
/// </summary>
public interface IRunOutput
{
    /// <summary>The run this object was produced in; null when none was recorded (-WhatIf).</summary>
    string? RunId { get; set; }

    /// <summary>The event that records this object in its run, or null when it is not one (a total).</summary>
    RunOutputEvent? ToRunEvent();
}
