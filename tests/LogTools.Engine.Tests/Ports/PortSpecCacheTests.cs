using LogTools.Engine.Ports;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Ports;

[Trait("Category", TestBackend.Category)]
public sealed class PortSpecCacheTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Tree => temp.Combine("ports");

    private string StorePath => temp.Combine("store");

    private string Port(string origin, string body, params string[] depends)
    {
        var path = Path.Combine(Tree, origin, PortSpec.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"name: {origin}\nversion: '1'\ndepends: [{string.Join(", ", depends)}]\n{body}");
        return path;
    }

    // Same length, mtime set back as `touch -d` or `cp -p` would: only the ctime tells.
    private static void Rewrite(string path, string from, string to)
    {
        var mtime = File.GetLastWriteTimeUtc(path);
        var text = File.ReadAllText(path);
        Assert.Equal(from.Length, to.Length);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, mtime);
    }

    private TestSink Build()
    {
        var sink = new TestSink();
        PortBuilder.Build(StorePath, () => TestBackend.Open(StorePath), new PortBuildOptions { PortsPath = Tree, WorkPath = temp.Combine("work"), Jobs = 2 }, sink);
        return sink;
    }

    [Fact]
    public void AnUnchangedPortYml_IsTakenByItsTuple_AnEditWithTheSameSizeAndMtimeIsParsed_AndARacyOneAlways()
    {
        var path = Port("x/a", "options: {SSL: 'on'}\nphases:\n  build: 'true'\n", "b/aaa");
        Thread.Sleep(TimeSpan.FromSeconds(3.5)); // past the racy window: the tuple now vouches for the file

        var first = PortSpec.Load(Tree, "x/a", null);
        Assert.True(first.Parsed);
        Assert.NotNull(first.Vouched);
        var kept = PortSpec.Load(Tree, "x/a", (first.Vouched!, first.ToJson()));
        Assert.False(kept.Parsed);
        Assert.Equal(first.ToJson(), kept.ToJson());
        Assert.Equal(first.Folder, kept.Folder);
        Assert.Equal("on", kept.Options["SSL"]);
        Assert.Equal("true", kept.Phases["build"]);

        Rewrite(path, "b/aaa", "b/aab");
        var edited = PortSpec.Load(Tree, "x/a", (first.Vouched!, first.ToJson()));
        Assert.True(edited.Parsed);
        Assert.Equal(["b/aab"], edited.Depends);
        Assert.Null(edited.Vouched); // just written: racy, so the index keeps no tuple for it

        // A tuple recorded in the same tick as a change would match it: a racy file is parsed whatever the index says.
        Rewrite(path, "b/aab", "b/aac");
        var racy = PortFileStat.Of(path, follow: true)!.Value;
        Assert.True(racy.Racy);
        var parsed = PortSpec.Load(Tree, "x/a", (racy.Text, edited.ToJson()));
        Assert.True(parsed.Parsed);
        Assert.Equal(["b/aac"], parsed.Depends);
    }

    [Fact]
    public void ANoOpParsesNoPortYml_AndAChangedDependsLineReplansTheBuild()
    {
        Port("lib/aaa", "phases:\n  build: 'true'\n");
        Port("lib/aab", "phases:\n  build: 'exit 3'\n");
        var top = Port("app/a", "phases:\n  build: 'true'\n", "lib/aaa");
        Thread.Sleep(TimeSpan.FromSeconds(3.5)); // past the racy window, so the tuples recorded by the first build vouch

        var first = Build();
        Assert.Equal(PortBuildStatus.Success, first.Outputs.OfType<PortBuildResult>().Single(r => r.Origin == "app/a").Status);
        Assert.Contains(first.Verbose, line => line.Contains("(3 port.yml parsed)", StringComparison.Ordinal));

        // lib/aab failed, so it has no index row and is parsed again; the others are taken from the index.
        var noop = Build();
        Assert.Equal(PortBuildStatus.Skipped, noop.Outputs.OfType<PortBuildResult>().Single(r => r.Origin == "app/a").Status);
        Assert.Contains(noop.Verbose, line => line.Contains("(1 port.yml parsed)", StringComparison.Ordinal));

        Rewrite(top, "lib/aaa", "lib/aab");
        var replanned = Build();
        var result = replanned.Outputs.OfType<PortBuildResult>().Single(r => r.Origin == "app/a");
        Assert.Equal(PortBuildStatus.DependencyFailed, result.Status);
        Assert.Equal("dependency 'lib/aab' failed", result.Reason);
        Assert.Contains(replanned.Verbose, line => line.Contains("(2 port.yml parsed)", StringComparison.Ordinal));
    }

    [Fact]
    public void APortYmlParsedAgainAndUnchanged_IsRecordedWithItsNewTuple()
    {
        var path = Port("x/a", "phases:\n  build: 'true'\n");
        Thread.Sleep(TimeSpan.FromSeconds(3.5));
        Build();
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(-5)); // a touch: new tuple, same bytes
        Thread.Sleep(TimeSpan.FromSeconds(3.5));

        foreach (var parsed in new[] { 1, 0 })
        {
            var sink = Build();
            Assert.Equal(PortBuildStatus.Skipped, Assert.Single(sink.Outputs.OfType<PortBuildResult>()).Status);
            Assert.Contains(sink.Verbose, line => line.Contains($"({parsed} port.yml parsed)", StringComparison.Ordinal));
        }
    }
}
