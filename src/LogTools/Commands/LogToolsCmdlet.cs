using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Journal;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// What every LogTools cmdlet shares: the one error path (every engine failure that escapes <see cref="Begin"/>,
/// <see cref="Process"/> or <see cref="End"/> becomes an ErrorRecord with a stable id, the right category and the
/// target; a stop becomes PowerShell's own stop), the engine sink that engine work on a worker thread reports
/// through, and user paths resolved against PowerShell's current location.
/// </summary>
public abstract class LogToolsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private PipelineSink? pipeline;
    private bool finished;
    private Exception? failure;

    /// <summary>Cancelled when the user stops the command (Ctrl+C, Stop()); the engine checks it between blocks, files and batches.</summary>
    protected CancellationToken CancellationToken => stopping.Token;

    /// <summary>Where engine work reports outputs, progress, warnings, errors and questions; see <see cref="RunEngine"/>.</summary>
    protected virtual IEngineSink Sink => Pipeline;

    private PipelineSink Pipeline => pipeline ??= new PipelineSink(this, stopping.Token);

    /// <summary>Called by PowerShell on another thread while the cmdlet runs.</summary>
    protected override void StopProcessing() => stopping.Cancel();

    protected sealed override void BeginProcessing() => Guard(Begin);

    protected sealed override void ProcessRecord() => Guard(Process);

    protected sealed override void EndProcessing() => Guard(() =>
    {
        End();
        finished = true;
        Finish(stopped: false, failure: null);
    });

    /// <summary>The cmdlet's BeginProcessing; engine failures escaping it stop the command with their error record.</summary>
    protected virtual void Begin()
    {
    }

    /// <summary>The cmdlet's ProcessRecord (per input); engine failures escaping it stop the command with their error record.</summary>
    protected virtual void Process()
    {
    }

    /// <summary>The cmdlet's EndProcessing; engine failures escaping it stop the command with their error record.</summary>
    protected virtual void End()
    {
    }

    /// <summary>
    /// Called once when the command is over: after <see cref="End"/>, or (<paramref name="stopped"/> by the user, or
    /// ended by <paramref name="failure"/>) when PowerShell disposes it.
    /// </summary>
    protected virtual void Finish(bool stopped, Exception? failure)
    {
    }

    /// <summary>
    /// Runs engine work on a worker thread while this (the pipeline) thread writes what it reports through
    /// <see cref="Sink"/>, so the command stays responsive to Ctrl+C; the work's failure is rethrown here.
    /// </summary>
    /// <param name="questionsCanAct">False when ShouldProcess would answer yes to every question and write nothing
    /// (see <see cref="StoreCmdlet"/>): the engine's questions are then answered where they are asked.</param>
    protected void RunEngine(Action<IEngineSink> work, bool questionsCanAct = true)
    {
        var sink = Sink;
        Pipeline.AnswersYes = !questionsCanAct;
        Pipeline.Pump(() => work(sink));
    }

    /// <summary>Runs <paramref name="step"/> on the pipeline thread for engine work that needs the cmdlet (opening the store).</summary>
    protected T OnPipeline<T>(Func<T> step) => Pipeline.Call(step);

    /// <summary>Runs one input's work; an engine failure is reported for that input and the pipeline goes on.</summary>
    protected void ForInput(Action work)
    {
        try
        {
            work();
        }
        catch (LogToolsException ex)
        {
            Sink.Error(ex);
        }
    }

    /// <summary>Which of the engine's output objects this command writes (all, unless a switch such as -Summary picks).</summary>
    protected internal virtual bool Writes(object item) => true;

    /// <summary>Whether the user asked to stop at the first error (-ErrorAction Stop, given or inherited).</summary>
    internal bool StopsOnErrors()
    {
        var action = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var value) ? value : GetVariableValue("ErrorActionPreference");
        return LanguagePrimitives.TryConvertTo<ActionPreference>(action, out var preference) && preference == ActionPreference.Stop;
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
            if (!finished)
            {
                finished = true;
                try
                {
                    Finish(stopping.IsCancellationRequested || failure is PipelineStoppedException, failure);
                }
                catch (LogToolsException)
                {
                    // The pipeline is over: nothing can be written any more, and the command's own ending was already reported.
                }
            }

            stopping.Dispose();
        }
    }

    /// <summary>The one error path: runs a processing step and turns what escapes it into PowerShell's terms.</summary>
    private void Guard(Action step)
    {
        try
        {
            step();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            failure = new PipelineStoppedException();
            throw failure;
        }
        catch (Exception ex) when (Remember(ex) && ToErrorRecord(ex) is { } record)
        {
            ThrowTerminatingError(record);
        }
    }

    // An exception filter with a side effect: every failure is remembered for Finish, also the ones not translated.
    private bool Remember(Exception ex)
    {
        failure = ex;
        return true;
    }

    /// <summary>Resolves a user path (relative, ~, PSDrive) against PowerShell's location, not the process's.</summary>
    protected string ResolveUserPath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Where the store is and which rule chose it, without opening it.</summary>
    /// <param name="parameterPath">The -Store value as the user typed it, or null.</param>
    protected StoreLocation LocateStore(string? parameterPath) => MustSucceed(() => StoreLocator.Resolve(
        parameterPath is null || StoreLocator.IsServer(parameterPath) ? parameterPath : ResolveUserPath(parameterPath), SessionStoreChoice.Get(), UserSettings.Load(UserSettings.DefaultPath())));

    /// <summary>
    /// Runs a step without which no input can be handled (finding or opening the store, a zone, a price file): its
    /// engine failure stops the command, also inside <see cref="ForInput"/>.
    /// </summary>
    protected T MustSucceed<T>(Func<T> step)
    {
        try
        {
            return step();
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

        IReadOnlyList<string> files = [];
        ForInput(() =>
        {
            files = ExpandFileSystemPath(path);
            if (files.Count == 0)
            {
                Sink.Error(notFound(path));
            }
        });
        return files;
    }

    /// <summary>Reports one failed input and lets the pipeline go on.</summary>
    protected internal void WriteEngineError(LogToolsException ex) => WriteError(ToErrorRecord(ex));

    /// <summary>Stops the cmdlet: nothing more can be done.</summary>
    protected internal void ThrowEngineError(LogToolsException ex) => ThrowTerminatingError(ToErrorRecord(ex));

    protected static ErrorRecord ToErrorRecord(LogToolsException ex) => new(ex, ex.ErrorId, Category(ex.Kind), ex.Target);

    /// <summary>The error record of an engine failure of any kind, or null for an exception that is not one (a defect).</summary>
    private static ErrorRecord? ToErrorRecord(Exception ex) => ex switch
    {
        LogToolsException engine => ToErrorRecord(engine),
        JournalInUseException busy => new(busy, "JournalInUse", ErrorCategory.ResourceBusy, busy.Path),
        JournalFormatException format => new(format, "JournalFormat", ErrorCategory.InvalidData, null),
        _ => null,
    };

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
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };
}
