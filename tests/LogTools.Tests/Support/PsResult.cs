using System.Management.Automation;

namespace LogTools.Tests.Support;

/// <summary>Everything one script wrote, stream by stream.</summary>
public sealed record PsResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<ProgressRecord> Progress)
{
    /// <summary>The base objects of the output (engine objects, strings, numbers).</summary>
    public IEnumerable<object> Objects => Output.Select(o => o.BaseObject);

    public ErrorRecord SingleError()
    {
        Assert.True(Errors.Count == 1, $"expected one error, got {Errors.Count}: {string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
        return Errors[0];
    }

    public PsResult AssertNoErrors()
    {
        Assert.True(Errors.Count == 0, "unexpected errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return this;
    }
}
