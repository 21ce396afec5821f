namespace LogTools.Engine;

/// <summary>
/// A failure the user can act on: a stable <see cref="ErrorId"/> (one per code path, no run-specific
/// values), a <see cref="Kind"/>, and the object that was at fault. The message says what was wrong,
/// where, and what to do.
/// </summary>
public sealed class LogToolsException : Exception
{
    public LogToolsException(string errorId, ErrorKind kind, object? target, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    public object? Target { get; }
}
