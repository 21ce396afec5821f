using LogTools.Engine.Ports;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Ports;

[Trait("Category", TestBackend.Category)]
public sealed class PortBuilderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Tree => temp.Combine("ports");

    private string StorePath => temp.Combine("store");

    private void Port(string origin, string body, params string[] depends)
    {
        Directory.CreateDirectory(Path.Combine(Tree, origin));
        File.WriteAllText(Path.Combine(Tree, origin, PortSpec.FileName), $"name: {origin}\nversion: '1'\ndepends: [{string.Join(", ", depends)}]\n{body}");
    }

    private PortBuildOptions Options(bool whatIf = false) => new() { PortsPath = Tree, WorkPath = temp.Combine("work"), Jobs = 2, WhatIf = whatIf };

    private TestSink Build(PortBuildOptions options, CancellationToken cancellationToken = default)
    {
        var sink = new TestSink { CancellationToken = cancellationToken };
        PortBuilder.Build(StorePath, () => TestBackend.Open(StorePath), options, sink);
        return sink;
    }

    [Fact]
    public void TheOrderPutsEveryPortAfterItsDependencies_AndPortsReadyTogetherByOrigin()
    {
        Port("z/leaf", string.Empty);
        Port("a/top", string.Empty, "m/mid", "z/leaf");
        Port("m/mid", string.Empty, "z/leaf");
        Port("b/other", string.Empty);
        Directory.CreateDirectory(Path.Combine(Tree, ".work", "x"));
        Assert.Equal(["b/other", "z/leaf", "m/mid", "a/top"], PortGraph.Load(Tree, []).Ordered.Select(p => p.Origin));
        Assert.Equal(["z/leaf", "m/mid"], PortGraph.Load(Tree, ["m/mid"]).Ordered.Select(p => p.Origin));
    }

    [Fact]
    public void TheChecksumIgnoresMtimes_AndFollowsContentPathsOptionsAndDependencies()
    {
        Port("lib/b", "options: {SSL: 'on'}");
        Port("app/a", string.Empty, "lib/b");
        string[] Keys()
        {
            var keys = new Dictionary<string, string>();
            foreach (var port in PortGraph.Load(Tree, []).Ordered)
            {
                keys[port.Origin] = PortChecksum.Compute(port, keys, default).Key;
            }

            return [keys["lib/b"], keys["app/a"]];
        }

        var first = Keys();
        foreach (var file in Directory.EnumerateFiles(Tree, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        Assert.Equal(first, Keys());
        File.WriteAllText(Path.Combine(Tree, "lib/b/patch-1"), "x");
        var added = Keys();
        Assert.NotEqual(first[0], added[0]);
        Assert.NotEqual(first[1], added[1]);
        File.Move(Path.Combine(Tree, "lib/b/patch-1"), Path.Combine(Tree, "lib/b/patch-2"));
        Assert.NotEqual(added[0], Keys()[0]);
    }

    [Fact]
    public void AChecksumRecordedBeforeTheStatTuples_IsSkippedAndRenewed_ThenSkippedByStatAlone()
    {
        Port("x/a", "phases:\n  build: 'true'");
        File.WriteAllText(Path.Combine(Tree, "x/a", "fix.patch"), "--- a\n");
        Thread.Sleep(TimeSpan.FromSeconds(3.5)); // past the racy window, so the tuples can vouch for the files
        Assert.Equal(PortBuildStatus.Success, Assert.Single(Build(Options()).Outputs.OfType<PortBuildResult>()).Status);
        // as a store from before Ports migration 2 holds it: the checksum and files, no folder digest, no tuples
        TestBackend.Open(StorePath).Database.Write((c, t) => Sql.Execute(c, t, "UPDATE port_checksums SET folder_digest = NULL, file_stats = NULL"));

        // then the folder's tuples, recorded with the files', vouch for its listing too
        foreach (var (filesRead, listed) in new[] { (2, 1), (0, 0) })
        {
            var sink = Build(Options());
            Assert.Equal(PortBuildStatus.Skipped, Assert.Single(sink.Outputs.OfType<PortBuildResult>()).Status);
            Assert.Contains(sink.Verbose, line => line.Contains($"({filesRead} files read, {listed} port folders listed)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void WhatIfWritesNothing_NotEvenTheStore()
    {
        Port("x/a", "phases:\n  build: 'touch \"$PORTDIR/built\"'");
        var questions = new List<string>();
        PortBuilder.Build(StorePath, () => throw new InvalidOperationException("a plan opened the store"), Options(whatIf: true), new TestSink
        {
            Answer = (_, action) =>
            {
                questions.Add(action);
                return false;
            },
        });
        Assert.Equal(["Build port 'x/a' 1: new."], questions);
        Assert.False(Directory.Exists(StorePath));
        Assert.False(Directory.Exists(temp.Combine("work")));
        Assert.False(File.Exists(Path.Combine(Tree, "x/a/built")));
    }

    [Fact]
    public async Task StoppingKillsThePhases_RecordsTheBuildFailed_AndStoresNoChecksum()
    {
        Port("x/slow", "phases:\n  build: 'touch \"$PORTDIR/../started\"; sleep 60; touch \"$PORTDIR/../finished\"'");
        using var stop = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var watcher = Task.Run(async () =>
        {
            while (!File.Exists(Path.Combine(Tree, "x/started")))
            {
                await Task.Delay(20);
            }

            await stop.CancelAsync();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Build(Options(), stop.Token));
        await watcher;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the build took {clock.Elapsed} to stop");
        await Task.Delay(200);
        Assert.False(File.Exists(Path.Combine(Tree, "x/finished")));
        var records = new List<PortBuildRecord>();
        PortQueries.Builds(TestBackend.Open(StorePath), null, null, null, null, records.Add);
        var record = Assert.Single(records);
        Assert.Equal(PortRecordStatus.Failed, record.Status);
        Assert.Equal("build", record.FailedPhase);
        var packages = new List<PortPackage>();
        PortQueries.Packages(TestBackend.Open(StorePath), null, packages.Add);
        Assert.Empty(packages);
        Port("x/slow", "phases:\n  build: 'true'");
        Assert.Equal("new", Assert.Single(Build(Options()).Outputs.OfType<PortBuildResult>()).Reason);
    }

    [Fact]
    public void AnIgnoredDependencyLeavesItsDependentsUnbuilt()
    {
        Port("lib/b", "ignore: 'no licence'");
        Port("app/a", "phases:\n  build: 'true'", "lib/b");
        Port("app/top", "phases:\n  build: 'true'", "app/a");
        var results = Build(Options()).Outputs.OfType<PortBuildResult>().ToDictionary(r => r.Origin);
        Assert.Equal(PortBuildStatus.Ignored, results["lib/b"].Status);
        Assert.Equal("no licence", results["lib/b"].Reason);
        Assert.Equal(PortBuildStatus.DependencyFailed, results["app/a"].Status);
        Assert.Equal("dependency 'lib/b' ignored", results["app/a"].Reason);
        Assert.Equal("dependency 'app/a' not built", results["app/top"].Reason);
    }
}
