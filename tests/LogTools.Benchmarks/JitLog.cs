using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace LogTools.Benchmarks;

/// <summary>
/// The runtime's JIT events in the process it is created in (a pwsh of <see cref="FirstCallBenchmark"/>): each method
/// compiled between <see cref="Begin"/> and <see cref="End"/>, with the time from its compilation's start to its code's
/// load, summed by whose code it is. JitInfo counts methods; this says where a first call's JIT time goes.
/// </summary>
public sealed class JitLog : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long JitKeyword = 0x10;

    private readonly ConcurrentDictionary<ulong, DateTime> started = new();
    private readonly ConcurrentQueue<(string Method, DateTime Start, DateTime End)> compiled = new();
    private DateTime begin = DateTime.MaxValue;
    private DateTime end = DateTime.MaxValue;

    /// <summary>Whose code a method is, by its namespace or stub name: the first group that claims it.</summary>
    internal static readonly (string Owner, Func<string, bool> Claims)[] Owners =
    [
        ("LogTools (for a floor: its own cmdlet)", m => m.StartsWith("LogTools.", StringComparison.Ordinal)),
        ("PowerShell (SMA, its compiled binders and setters)", m => m.StartsWith("System.Management.Automation", StringComparison.Ordinal)
            || m.StartsWith("Microsoft.PowerShell", StringComparison.Ordinal)
            || m.StartsWith("dynamicClass::CallSite", StringComparison.Ordinal)
            || m.StartsWith("dynamicClass::lambda", StringComparison.Ordinal)
            || m.StartsWith("dynamicClass::InvokeStub", StringComparison.Ordinal)),
        ("P/Invoke stubs (SQLitePCLRaw's native calls)", m => m.Contains("IL_STUB_PInvoke", StringComparison.Ordinal)),
        ("regular expressions compiled at run time (YamlDotNet's)", m => m.Contains("Regex", StringComparison.Ordinal)),
        ("framework, mostly generics instantiated for the callers above", _ => true),
    ];

    /// <summary>Methods whose compilation starts from now on count.</summary>
    public void Begin() => begin = DateTime.UtcNow;

    /// <summary>Methods whose compilation starts from now on do not count.</summary>
    public void End() => end = DateTime.UtcNow;

    /// <summary>
    /// One line per owner, "owner|methods|ms", once the runtime has delivered the events up to <see cref="End"/> (it
    /// dispatches them from a session buffer, up to a second late).
    /// </summary>
    public string Report()
    {
        Thread.Sleep(TimeSpan.FromSeconds(1.5));
        var counted = compiled.Where(c => c.Start >= begin && c.Start < end).ToList();
        var lines = Owners.Select(o => (o.Owner, Methods: 0, Ms: 0.0)).ToArray();
        foreach (var (method, start, done) in counted)
        {
            var i = Array.FindIndex(Owners, o => o.Claims(method));
            lines[i] = (lines[i].Owner, lines[i].Methods + 1, lines[i].Ms + (done - start).TotalMilliseconds);
        }

        return string.Join('\n', lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Owner}|{l.Methods}|{l.Ms:F1}")));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        var payload = eventData.Payload;
        if (payload is null)
        {
            return;
        }

        // Payload fields by the runtime's event manifest: MethodJittingStarted_V1 (MethodID first) and
        // MethodLoadVerbose_V1/V2 (MethodID, ..., MethodNamespace at 6, MethodName at 7).
        if (eventData.EventName == "MethodJittingStarted_V1")
        {
            started[(ulong)payload[0]!] = eventData.TimeStamp.ToUniversalTime();
        }
        else if (eventData.EventName is "MethodLoadVerbose_V1" or "MethodLoadVerbose_V2"
            && started.TryRemove((ulong)payload[0]!, out var start))
        {
            compiled.Enqueue(($"{payload[6]}::{payload[7]}", start, eventData.TimeStamp.ToUniversalTime()));
        }
    }
}
