using LogTools.Engine.Hashing;
using LogTools.Engine.Mirror;
using LogTools.Engine.Store;

namespace LogTools.Engine.Tests.Mirror;

/// <summary>A host log folder, a store and one source "app" (app-*.json archives, app.json active), with what each sync reported.</summary>
internal sealed class MirrorFixture : IDisposable
{
    public MirrorFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "logtools-mirror-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(HostDir);
        Store = TestBackend.Open(Path.Combine(Root, "store"));
        Config = MirrorSourceConfig.Create("app", "app-*.json", "app.json", "logs/app", HostDir);
    }

    public string Root { get; }

    public string HostDir => Path.Combine(Root, "host");

    public LogStore Store { get; }

    public MirrorSourceConfig Config { get; }

    /// <summary>What the syncs reported besides their results.</summary>
    public TestSink Sink { get; } = new();

    public List<string> Warnings => Sink.Warnings;

    public List<LogToolsException> Errors => Sink.Errors;

    public string Host(string name) => Path.Combine(HostDir, name);

    public string Pond(string name) => Path.Combine(Store.Path, "pond", "logs", "app", name);

    public List<MirrorResult> Sync(bool whatIf = false, bool verify = false, MirrorSourceConfig? config = null) =>
        MirrorSync.Run(Store.Path, Store, config ?? Config, new MirrorSyncOptions
        {
            WhatIf = whatIf, Verify = verify, LockTimeout = TimeSpan.FromMilliseconds(300),
        }, Sink).ToList();

    public static string B3(byte[] bytes) => Convert.ToHexString(Blake3Hasher.Hash(bytes)).ToLowerInvariant();

    public static byte[] Lines(int from, int count) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(from, count).Select(i => $"{{\"seq\":{i},\"msg\":\"line {i} of the log\"}}\n")));

    public void Append(string name, byte[] bytes)
    {
        using var stream = new FileStream(Host(name), FileMode.Append);
        stream.Write(bytes);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
