namespace LogTools;

/// <summary>The run Start-LogRun made current, per runspace: the default -RunId of Write-RunEvent and Complete-LogRun.</summary>
internal static class CurrentLogRun
{
    private static readonly RunspaceValue<string> Id = new();

    public static string? Get() => Id.Get();

    public static void Set(string? runId) => Id.Set(runId);
}
