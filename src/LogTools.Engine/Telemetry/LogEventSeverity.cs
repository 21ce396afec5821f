namespace LogTools.Engine.Sessions;

/// <summary>How serious an event is, in increasing order, so that a minimum severity is a comparison.</summary>
public enum LogEventSeverity
{
    Debug,
    Info,
    Warning,
    Error,
    Critical,
}
