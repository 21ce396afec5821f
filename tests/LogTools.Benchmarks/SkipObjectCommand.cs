using System.Management.Automation;

namespace LogTools.Benchmarks;

/// <summary>
/// Skip-Object: a compiled cmdlet that takes each pipeline object by value and does nothing with it, the `add-api-call`
/// benchmark's measure of what PowerShell's pipeline itself costs per object (Where-Object also looks a property up by
/// name and compares it, several times that cost).
/// </summary>
[Cmdlet(VerbsCommon.Skip, "Object")]
public sealed class SkipObjectCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }
}
