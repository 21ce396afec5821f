using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// What every LogTools cmdlet shares: user paths resolved against PowerShell's current location,
/// and engine failures turned into ErrorRecords with a stable id, the right category and the target.
/// </summary>
public abstract class LogToolsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Cancelled when the user stops the command (Ctrl+C, Stop()); the engine checks it between blocks, files and batches.</summary>
    protected CancellationToken CancellationToken => stopping.Token;

    /// <summary>Called by PowerShell on another thread while the cmdlet runs.</summary>
    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// Runs engine work that observes <see cref="CancellationToken"/>: when the command was stopped, the engine's
    /// cancellation becomes PowerShell's own stop (no error record), as a stopped write would.
    /// </summary>
    protected void Stoppable(Action work)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>PowerShell disposes a cmdlet once its pipeline ends, stopped or not.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Cmdlets with their own end-of-pipeline work override this and call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            stopping.Dispose();
        }
    }

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

    /// <summary>
    /// Expands a user path with wildcards to full file-system paths, in name order; empty when nothing
    /// matches (the caller reports that with its own error id). A wildcard in the last segment only is
    /// matched against one directory listing: PowerShell's provider globbing, used otherwise, costs tens of
    /// microseconds a file, which dominated hashing thousands of small files.
    /// </summary>
    /// <exception cref="LogToolsException">The path belongs to another provider (registry, variables, ...).</exception>
    private IReadOnlyList<string> ExpandFileSystemPath(string path)
    {
        var parent = System.IO.Path.GetDirectoryName(path);
        var leaf = System.IO.Path.GetFileName(path);
        if (WildcardPattern.ContainsWildcardCharacters(leaf) && !WildcardPattern.ContainsWildcardCharacters(parent))
        {
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(parent) ? "." : parent, out var folderProvider, out _);
            if (folderProvider.Name == "FileSystem")
            {
                var pattern = new WildcardPattern(leaf, OperatingSystem.IsLinux() ? WildcardOptions.None : WildcardOptions.IgnoreCase);
                return Directory.Exists(folder)
                    ? [.. new DirectoryInfo(folder).EnumerateFileSystemInfos().Where(e => pattern.IsMatch(e.Name)).Select(e => e.FullName).Order(StringComparer.Ordinal)]
                    : [];
            }
        }

        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            return provider.Name == "FileSystem"
                ? resolved
                : throw new LogToolsException("PathNotFileSystem", ErrorKind.InvalidArgument, path, $"'{path}' is a {provider.Name} path, not a file-system path.");
        }
        catch (ItemNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// One -Path (wildcards, <see cref="ExpandFileSystemPath"/>) or -LiteralPath value as full file-system paths. A
    /// -Path that matches nothing, or is not a file-system path, is reported (<paramref name="notFound"/> gives the
    /// cmdlet's own error) and gives no path, so the other inputs go on.
    /// </summary>
    protected IReadOnlyList<string> ExpandPath(string path, bool literal, Func<string, LogToolsException> notFound)
    {
        if (literal)
        {
            return [ResolveUserPath(path)];
        }

        try
        {
            var files = ExpandFileSystemPath(path);
            if (files.Count == 0)
            {
                WriteEngineError(notFound(path));
            }

            return files;
        }
        catch (LogToolsException ex)
        {
            WriteEngineError(ex);
            return [];
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
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ReadError => ErrorCategory.ReadError,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        ErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        _ => ErrorCategory.NotSpecified,
    };
}
