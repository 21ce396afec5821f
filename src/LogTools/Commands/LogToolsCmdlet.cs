using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// What every LogTools cmdlet shares: user paths resolved against PowerShell's current location,
/// and engine failures turned into ErrorRecords with a stable id, the right category and the target.
/// </summary>
public abstract class LogToolsCmdlet : PSCmdlet
{
    /// <summary>Resolves a user path (relative, ~, PSDrive) against PowerShell's location, not the process's.</summary>
    protected string ResolveUserPath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Where the store is and which rule chose it, without opening it.</summary>
    /// <param name="parameterPath">The -Store value as the user typed it, or null.</param>
    protected StoreLocation LocateStore(string? parameterPath)
    {
        try
        {
            return StoreLocator.Resolve(
                parameterPath is null ? null : ResolveUserPath(parameterPath), SessionStoreChoice.Get(), UserSettings.Load(UserSettings.DefaultPath()));
        }
        catch (LogToolsException ex)
        {
            ThrowEngineError(ex);
            throw; // not reached: ThrowEngineError always throws
        }
    }

    /// <summary>Reports one failed input and lets the pipeline go on.</summary>
    protected void WriteEngineError(LogToolsException ex) => WriteError(ToErrorRecord(ex));

    /// <summary>Stops the cmdlet: nothing more can be done.</summary>
    protected void ThrowEngineError(LogToolsException ex) => ThrowTerminatingError(ToErrorRecord(ex));

    protected static ErrorRecord ToErrorRecord(LogToolsException ex) => new(ex, ex.ErrorId, Category(ex.Kind), ex.Target);

    private static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ReadError => ErrorCategory.ReadError,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
