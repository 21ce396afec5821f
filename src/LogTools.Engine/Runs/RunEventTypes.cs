namespace LogTools.Engine.Runs;

/// <summary>The event types LogTools itself gives meaning to.</summary>
public static class RunEventTypes
{
    public const string Started = "run.started";
    public const string Completed = "run.completed";
    public const string ConsoleLine = "console.line";
    public const string Gap = "log.gap";
    public const string Truncated = "log.truncated";
}
