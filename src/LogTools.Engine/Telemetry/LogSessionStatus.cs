namespace LogTools.Engine.Sessions;

/// <summary>Where a session is: running, stopped by Stop-LogSession, or abandoned (its process is gone and it was never stopped).</summary>
public enum LogSessionStatus
{
    Active,
    Stopped,
    Abandoned,
}
