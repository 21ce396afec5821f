using System.Runtime.CompilerServices;

namespace LogTools.Engine.Sessions;

/// <summary>The one de-duplication rule for every path that stores API calls (Add-ApiCall, imports).</summary>
public static class ApiCallKey
{
    // Every stored call runs this: compiled fully optimised at its first call (AggressiveOptimization), not run as
    // ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>
    /// "&lt;messageId&gt;:&lt;requestId&gt;" when both are known (one response of one request, however often a
    /// transcript repeats it); otherwise null, and the call is never treated as a duplicate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? For(string? messageId, string? requestId) =>
        string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(requestId) ? null : messageId + ":" + requestId;
}
