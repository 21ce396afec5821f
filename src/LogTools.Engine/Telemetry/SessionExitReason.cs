namespace LogTools.Engine.Sessions;

/// <summary>Why a coordinator session ended; stored lower-case in sessions.exit_reason.</summary>
public enum SessionExitReason
{
    Normal,
    Error,
    Signal,
}
