using System.Management.Automation;
using LogTools.Completion;

namespace LogTools.Commands;

/// <summary>A cmdlet that records one step of a task or a worker: -SessionId for a new one, -Timestamp, -PassThru.</summary>
public abstract class TelemetryStepCmdlet : TelemetryCmdlet
{
    /// <summary>The session a new task or worker belongs to; the current session when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    /// <summary>When the step happened; now when absent.</summary>
    [Parameter]
    public DateTime? Timestamp { get; set; }

    /// <summary>Write the task or worker as it is after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Asks ShouldProcess, records the step, and writes the result with -PassThru; a failure is reported for this input only.</summary>
    protected void Step(string target, string action, Func<object> record) => ForInput(() =>
    {
        if (ShouldProcess(target, action))
        {
            var result = record();
            if (PassThru)
            {
                WriteObject(result);
            }
        }
    });
}
