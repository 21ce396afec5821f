using LogTools.Engine.Ports;
using LogTools.Engine.Runs;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Ports;

/// <summary>Removing a run (Remove-LogRun's retention) removes the port build records hung on it, and only those.</summary>
[Trait("Category", TestBackend.Category)]
public sealed class PortRunRemovalTests : IDisposable
{
    private readonly TempFolder temp = new();

    public PortRunRemovalTests()
    {
        foreach (var origin in new[] { "lib/b", "app/a" })
        {
            Directory.CreateDirectory(Path.Combine(Tree, origin));
            File.WriteAllText(Path.Combine(Tree, origin, PortSpec.FileName), $"name: {origin}\nversion: '1'\ndepends: [{(origin == "app/a" ? "lib/b" : string.Empty)}]\nphases:\n  build: 'true'\n");
        }

        Assert.All(Build(), result => Assert.Equal(PortBuildStatus.Success, result.Status));
    }

    public void Dispose() => temp.Dispose();

    private string Tree => temp.Combine("ports");

    private string StorePath => temp.Combine("store");

    [Fact]
    public void A_removed_port_run_takes_its_build_record_with_it_and_no_other()
    {
        var before = Records();
        Assert.Equal(["app/a", "lib/b"], before.Select(r => r.Origin).Order());
        var lib = before.Single(r => r.Origin == "lib/b");

        var removed = new List<LogRun>();
        new RunMaintenance(TestBackend.Open(StorePath)).Remove(TimeSpan.Zero, null, null, run => run.RunId == lib.LogRunId, _ => true, removed.Add);

        Assert.Equal(lib.LogRunId, Assert.Single(removed).RunId);
        Assert.Equal("app/a", Assert.Single(Records()).Origin);
    }

    [Fact]
    public void Removing_every_run_leaves_no_build_record_and_the_next_build_still_builds_nothing()
    {
        Assert.Single(Records().Select(r => r.RunId).Distinct());

        new RunMaintenance(TestBackend.Open(StorePath)).Remove(TimeSpan.Zero, null, null, _ => true, _ => true, _ => { });

        Assert.Empty(Records());
        Assert.All(Build(), result => Assert.Equal(PortBuildStatus.Skipped, result.Status));
        Assert.Empty(Records());
    }

    private List<PortBuildResult> Build()
    {
        var sink = new TestSink();
        PortBuilder.Build(StorePath, () => TestBackend.Open(StorePath), new PortBuildOptions { PortsPath = Tree, WorkPath = temp.Combine("work"), Jobs = 2 }, sink);
        return [.. sink.Outputs.OfType<PortBuildResult>()];
    }

    private List<PortBuildRecord> Records()
    {
        var records = new List<PortBuildRecord>();
        PortQueries.Builds(TestBackend.Open(StorePath), null, null, null, null, records.Add);
        return records;
    }
}
