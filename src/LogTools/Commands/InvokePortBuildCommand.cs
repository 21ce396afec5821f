using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Ports;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Invoke-PortBuild: builds a ports tree (or some ports and their dependencies) in dependency order with a pool of
/// workers, skipping ports whose checksum is unchanged since their last successful build. One run of kind portbuild
/// per invocation; -WhatIf lists the plan, in order, with a reason for each port, and writes nothing.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PortBuild", SupportsShouldProcess = true)]
[OutputType("LogTools.Engine.Ports.PortBuildResult", "LogTools.Engine.Ports.PortBuildStats")]
public sealed class InvokePortBuildCommand : PortTreeCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    protected override string? RunKind => "portbuild";

    /// <summary>How many ports build at once (default: the number of processors).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int Jobs { get; set; } = Environment.ProcessorCount;

    /// <summary>Where ports are built and packages kept; default: .work in the ports tree.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkPath { get; set; }

    /// <summary>
    /// Completing the build's run is tracking too: a store failing then (full, read-only) is a warning, and the build's
    /// results stand (fail-safe). A stopped or failed command cannot write any more; its own error is the one shown.
    /// </summary>
    protected override void Finish(bool stopped, Exception? failure)
    {
        try
        {
            base.Finish(stopped, failure);
        }
        catch (LogToolsException ex) when (!stopped && failure is null)
        {
            WriteWarning($"Could not record the end of this build's run: {ex.Message} The build's results stand.");
        }
    }

    protected override void Process()
    {
        var portsPath = ResolveUserPath(PortsPath);
        var options = new PortBuildOptions
        {
            PortsPath = portsPath, WorkPath = WorkPath is null ? Path.Combine(portsPath, ".work") : ResolveUserPath(WorkPath),
            Origins = Port ?? [], Jobs = Jobs, WhatIf = WhatIfRequested(),
        };
        if (options.WhatIf || ShouldProcess(portsPath, "Build ports"))
        {
            var storePath = LocateStore(Store).Path;
            RunEngine(sink => PortBuilder.Build(storePath, () => OnPipeline(OpenStoreIfExists), options, sink));
        }
    }
}
