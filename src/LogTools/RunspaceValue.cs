using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace LogTools;

/// <summary>
/// A value kept per runspace (a PowerShell session), so two sessions in one process (a host, a test run) never see
/// each other's value, and it goes away with the runspace.
/// </summary>
internal sealed class RunspaceValue<T>
    where T : class
{
    private readonly ConditionalWeakTable<Runspace, T> values = new();

    public T? Get() => Runspace.DefaultRunspace is { } runspace && values.TryGetValue(runspace, out var value) ? value : null;

    public void Set(T? value)
    {
        if (Runspace.DefaultRunspace is not { } runspace)
        {
            return;
        }

        values.Remove(runspace);
        if (value is not null)
        {
            values.Add(runspace, value);
        }
    }
}
