namespace LogTools.Engine;

/// <summary>
/// What kind of failure a <see cref="LogToolsException"/> is. The cmdlet layer maps each kind to a
/// PowerShell ErrorCategory; the engine keeps no PowerShell reference.
/// </summary>
public enum ErrorKind
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    PermissionDenied,
    ResourceBusy,
    InvalidOperation,
    ReadError,
    WriteError,
    LimitExceeded,

    /// <summary>A server (the store's database server) cannot be reached.</summary>
    ConnectionError,
}
