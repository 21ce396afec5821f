using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace LogTools;

/// <summary>
/// The store chosen with Set-LogStore, kept per runspace (a PowerShell session), so two sessions in
/// one process (a host, a test run) never see each other's choice, and it goes away with the runspace.
/// </summary>
internal static class SessionStoreChoice
{
    private static readonly ConditionalWeakTable<Runspace, string> Choices = new();

    public static string? Get() =>
        Runspace.DefaultRunspace is { } runspace && Choices.TryGetValue(runspace, out var path) ? path : null;

    public static void Set(string? path)
    {
        if (Runspace.DefaultRunspace is not { } runspace)
        {
            return;
        }

        Choices.Remove(runspace);
        if (path is not null)
        {
            Choices.Add(runspace, path);
        }
    }
}
