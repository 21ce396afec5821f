namespace LogTools;

/// <summary>
/// The session Start-LogSession made current, kept per runspace (see <see cref="RunspaceValue{T}"/>): the default
/// -SessionId of the telemetry cmdlets in this PowerShell session.
/// </summary>
internal static class CurrentLogSession
{
    private static readonly RunspaceValue<string> Id = new();

    public static string? Get() => Id.Get();

    public static void Set(string? sessionId) => Id.Set(sessionId);
}
