using System.IO.Compression;
using System.Net.Sockets;
using LogTools.Engine.Mirror;

namespace LogTools.Engine.Tests.Mirror;

[Trait("Category", TestBackend.Category)]
public sealed class MirrorSyncTests
{
    [Fact]
    public void New_files_are_copied_with_their_blake3_and_a_second_sync_reads_nothing()
    {
        using var f = new MirrorFixture();
        var archive = MirrorFixture.Lines(0, 5000);
        File.WriteAllBytes(f.Host("app-2025-10-20T08-18-50.905.json"), archive);
        File.WriteAllBytes(f.Host("app-2025-10-21T00-00-00.000.json"), []);
        File.WriteAllBytes(f.Host("app.json"), MirrorFixture.Lines(5000, 3));

        var first = f.Sync();

        Assert.Equal(["app-2025-10-20T08-18-50.905.json", "app-2025-10-21T00-00-00.000.json", "app.json"], first.Select(r => r.Name));
        Assert.All(first, r => Assert.Equal(MirrorAction.Copied, r.Action));
        Assert.Equal(archive, File.ReadAllBytes(f.Pond("app-2025-10-20T08-18-50.905.json")));
        Assert.Equal(MirrorFixture.B3(archive), first[0].Blake3);
        Assert.Equal(MirrorFixture.B3([]), first[1].Blake3);
        Assert.Equal(File.ReadAllBytes(f.Host("app.json")), File.ReadAllBytes(f.Pond("app.json")));

        var second = f.Sync();
        Assert.All(second, r => Assert.Equal(MirrorAction.Unchanged, r.Action));
        Assert.All(second, r => Assert.Equal(0, r.BytesCopied));
        Assert.Empty(f.Warnings);
        Assert.Empty(f.Errors);
    }

    [Fact]
    public void A_growing_active_file_gets_only_its_new_bytes_and_a_resumed_hash()
    {
        using var f = new MirrorFixture();
        var all = new List<byte>();
        foreach (var (from, count) in new[] { (0, 0), (0, 1), (1, 7), (8, 3000), (3008, 1) })
        {
            var bytes = MirrorFixture.Lines(from, count);
            f.Append("app.json", bytes);
            all.AddRange(bytes);
            var active = f.Sync().Single();
            Assert.Equal(bytes.Length, active.BytesCopied);
            Assert.Equal(all.Count, active.Length);
            Assert.Equal(MirrorFixture.B3([.. all]), active.Blake3);
        }

        Assert.Equal(all, File.ReadAllBytes(f.Pond("app.json")));
        var verified = f.Sync(verify: true).Single();
        Assert.Equal(MirrorAction.Unchanged, verified.Action);
    }

    [Fact]
    public void A_rotation_moves_the_mirrored_copy_to_the_archive_name_and_completes_it()
    {
        using var f = new MirrorFixture();
        var before = MirrorFixture.Lines(0, 100);
        f.Append("app.json", before);
        f.Sync();
        var tail = MirrorFixture.Lines(100, 5);
        f.Append("app.json", tail);
        File.Move(f.Host("app.json"), f.Host("app-1.json"));
        f.Append("app.json", MirrorFixture.Lines(105, 2));

        var results = f.Sync();

        Assert.Empty(f.Errors.Select(e => e.ErrorId + e.Message));
        var rotated = results.Single(r => r.Name == "app-1.json");
        Assert.Equal(MirrorAction.Rotated, rotated.Action);
        Assert.Equal(tail.Length, rotated.BytesCopied);
        Assert.Equal(0, rotated.UnaccountedBytes);
        Assert.Equal(MirrorFixture.B3(File.ReadAllBytes(f.Host("app-1.json"))), rotated.Blake3);
        Assert.Equal(File.ReadAllBytes(f.Host("app-1.json")), File.ReadAllBytes(f.Pond("app-1.json")));
        Assert.Equal(MirrorAction.Copied, results.Single(r => r.Name == "app.json").Action);
        Assert.Equal(File.ReadAllBytes(f.Host("app.json")), File.ReadAllBytes(f.Pond("app.json")));
        Assert.Equal(MirrorFileStatus.Rotated, MirrorCatalog.Files(f.Store).Single(x => x.Name == "app-1.json").Status);
    }

    [Fact]
    public void Several_rotations_between_two_syncs_are_matched_by_content()
    {
        using var f = new MirrorFixture();
        f.Append("app.json", MirrorFixture.Lines(0, 10));
        f.Sync();
        // The mirrored file became app-b.json (named so that it sorts after the unrelated app-a.json).
        File.Move(f.Host("app.json"), f.Host("app-b.json"));
        File.WriteAllBytes(f.Host("app-a.json"), MirrorFixture.Lines(500, 10));
        File.WriteAllBytes(f.Host("app-c.json"), MirrorFixture.Lines(10, 10));
        f.Append("app.json", MirrorFixture.Lines(20, 1));

        var results = f.Sync();

        Assert.Equal(MirrorAction.Rotated, results.Single(r => r.Name == "app-b.json").Action);
        Assert.Equal(MirrorAction.Copied, results.Single(r => r.Name == "app-a.json").Action);
        Assert.Equal(MirrorAction.Copied, results.Single(r => r.Name == "app-c.json").Action);
        foreach (var name in new[] { "app-a.json", "app-b.json", "app-c.json", "app.json" })
        {
            Assert.Equal(File.ReadAllBytes(f.Host(name)), File.ReadAllBytes(f.Pond(name)));
        }
    }

    [Fact]
    public void A_truncation_with_no_matching_archive_preserves_the_old_copy_with_a_warning()
    {
        using var f = new MirrorFixture();
        var old = MirrorFixture.Lines(0, 50);
        f.Append("app.json", old);
        f.Sync();
        File.WriteAllBytes(f.Host("app.json"), MirrorFixture.Lines(1000, 2));

        var results = f.Sync();

        var preserved = results.Single(r => r.Action == MirrorAction.Preserved);
        Assert.Matches(@"^app\.json\.truncated-\d{8}T\d{6}Z$", preserved.Name);
        Assert.Equal(old, File.ReadAllBytes(f.Pond(preserved.Name)));
        Assert.Equal(old.Length, preserved.UnaccountedBytes);
        Assert.Equal(MirrorFileStatus.PreservedTruncation, preserved.Status);
        Assert.Equal(File.ReadAllBytes(f.Host("app.json")), File.ReadAllBytes(f.Pond("app.json")));
        Assert.Contains(f.Warnings, w => w.Contains(preserved.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void A_copytruncate_window_keeps_the_bytes_the_archive_lacks_and_counts_them()
    {
        using var f = new MirrorFixture();
        var copied = MirrorFixture.Lines(0, 40);
        var window = MirrorFixture.Lines(40, 3);
        f.Append("app.json", copied);
        f.Append("app.json", window);
        f.Sync();
        // copytruncate: the copy was taken before the window was written, then the file was truncated.
        File.WriteAllBytes(f.Host("app-1.json"), copied);
        File.WriteAllBytes(f.Host("app.json"), MirrorFixture.Lines(43, 1));

        var rotated = f.Sync().Single(r => r.Name == "app-1.json");

        Assert.Equal(MirrorAction.Rotated, rotated.Action);
        Assert.Equal(window.Length, rotated.UnaccountedBytes);
        Assert.Equal([.. copied, .. window], File.ReadAllBytes(f.Pond("app-1.json")));
        Assert.Contains(f.Warnings, w => w.Contains($"{window.Length} bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_compressed_former_active_file_is_recognised_by_its_decompressed_content_and_mirrored_as_is()
    {
        using var f = new MirrorFixture();
        var before = MirrorFixture.Lines(0, 200);
        f.Append("app.json", before);
        f.Sync();
        using (var gz = new GZipStream(File.Create(f.Host("app-1.json.gz")), CompressionLevel.Fastest))
        {
            gz.Write([.. before, .. MirrorFixture.Lines(200, 10)]);
        }

        File.Delete(f.Host("app.json"));

        var results = f.Sync();

        var rotated = results.Single();
        Assert.Equal(MirrorAction.Rotated, rotated.Action);
        Assert.Equal("app-1.json.gz", rotated.Name);
        Assert.Equal(File.ReadAllBytes(f.Host("app-1.json.gz")), File.ReadAllBytes(f.Pond("app-1.json.gz")));
        Assert.Equal(0, new FileInfo(f.Pond("app.json")).Length);
    }

    [Fact]
    public void A_gz_beside_its_uncompressed_archive_waits_and_then_is_noted_as_its_compressed_form()
    {
        using var f = new MirrorFixture();
        var content = MirrorFixture.Lines(0, 30);
        File.WriteAllBytes(f.Host("app-1.json"), content);
        f.Sync();
        using (var gz = new GZipStream(File.Create(f.Host("app-1.json.gz")), CompressionLevel.Fastest))
        {
            gz.Write(content);
        }

        Assert.Equal(MirrorAction.Deferred, f.Sync().Single(r => r.Name == "app-1.json.gz").Action);
        File.Delete(f.Host("app-1.json"));
        var results = f.Sync();

        Assert.Equal(MirrorAction.Copied, results.Single(r => r.Name == "app-1.json.gz").Action);
        var gone = results.Single(r => r.Name == "app-1.json");
        Assert.Equal(MirrorAction.Gone, gone.Action);
        Assert.Contains("app-1.json.gz", gone.Message, StringComparison.Ordinal);
        Assert.Empty(f.Warnings);
    }

    [Fact]
    public void A_changed_archive_is_reported_and_the_pond_keeps_the_original()
    {
        using var f = new MirrorFixture();
        var original = MirrorFixture.Lines(0, 10);
        File.WriteAllBytes(f.Host("app-1.json"), original);
        f.Sync();
        var changed = original.ToArray();
        changed[5] ^= 1;
        File.WriteAllBytes(f.Host("app-1.json"), changed);
        File.SetLastWriteTimeUtc(f.Host("app-1.json"), DateTime.UtcNow.AddMinutes(1));

        var result = f.Sync().Single();

        Assert.Equal(MirrorAction.Changed, result.Action);
        Assert.Equal(MirrorFileStatus.ChangedOnHost, result.Status);
        Assert.Equal(original, File.ReadAllBytes(f.Pond("app-1.json")));
        Assert.Single(f.Warnings);
        Assert.Equal(MirrorFileStatus.ChangedOnHost, f.Sync().Single().Status);
        Assert.Single(f.Warnings); // reported once, then kept as the status
    }

    [Fact]
    public void A_bit_flip_without_a_stat_change_is_found_by_Verify_only()
    {
        using var f = new MirrorFixture();
        var original = MirrorFixture.Lines(0, 10);
        File.WriteAllBytes(f.Host("app-1.json"), original);
        f.Sync();
        var stamp = File.GetLastWriteTimeUtc(f.Host("app-1.json"));
        original[3] ^= 4;
        File.WriteAllBytes(f.Host("app-1.json"), original);
        File.SetLastWriteTimeUtc(f.Host("app-1.json"), stamp);

        Assert.Equal(MirrorAction.Unchanged, f.Sync().Single().Action);
        Assert.Equal(MirrorAction.Changed, f.Sync(verify: true).Single().Action);
    }

    [Fact]
    public void An_archive_gone_from_the_host_is_kept_and_reported()
    {
        using var f = new MirrorFixture();
        File.WriteAllBytes(f.Host("app-1.json"), MirrorFixture.Lines(0, 3));
        f.Sync();
        File.Delete(f.Host("app-1.json"));

        var result = f.Sync().Single();

        Assert.Equal(MirrorAction.Gone, result.Action);
        Assert.Equal(MirrorFileStatus.GoneFromHost, result.Status);
        Assert.True(File.Exists(f.Pond("app-1.json")));
    }

    [Fact]
    public void WhatIf_plans_every_action_and_writes_nothing()
    {
        using var f = new MirrorFixture();
        File.WriteAllBytes(f.Host("app-1.json"), MirrorFixture.Lines(0, 3));
        f.Append("app.json", MirrorFixture.Lines(3, 3));

        var plan = f.Sync(whatIf: true);

        Assert.Equal([MirrorAction.Copied, MirrorAction.Copied], plan.Select(r => r.Action));
        Assert.All(plan, r => Assert.True(r.Planned));
        Assert.False(Directory.Exists(Path.Combine(f.Store.Path, "pond")));
        Assert.False(Directory.Exists(Path.Combine(f.Store.Path, "locks")));
        Assert.Empty(MirrorCatalog.Files(f.Store));

        // With no store at all: planned from an empty state, nothing created.
        var nowhere = Path.Combine(f.Root, "no-store");
        var fromEmpty = MirrorSync.Run(nowhere, null, f.Config, new MirrorSyncOptions { WhatIf = true }, f.Sink).ToList();
        Assert.Equal(2, fromEmpty.Count);
        Assert.False(Directory.Exists(nowhere));
    }

    [Fact]
    public void WhatIf_plans_a_rotation_without_moving_anything()
    {
        using var f = new MirrorFixture();
        f.Append("app.json", MirrorFixture.Lines(0, 10));
        f.Sync();
        File.Move(f.Host("app.json"), f.Host("app-1.json"));

        var plan = f.Sync(whatIf: true);

        Assert.Equal(MirrorAction.Rotated, plan.Single().Action);
        Assert.True(File.Exists(f.Pond("app.json")));
        Assert.False(File.Exists(f.Pond("app-1.json")));
    }

    [Fact]
    public void Unrecorded_appended_bytes_and_interrupted_copies_are_dropped_by_the_next_sync()
    {
        using var f = new MirrorFixture();
        f.Append("app.json", MirrorFixture.Lines(0, 10));
        f.Sync();
        // What a sync killed after writing but before recording leaves behind.
        File.AppendAllText(f.Pond("app.json"), "garbage never recorded");
        File.WriteAllText(f.Pond(".app-9.json.logtools-partial"), "half a copy");
        f.Append("app.json", MirrorFixture.Lines(10, 1));

        f.Sync();

        Assert.Equal(File.ReadAllBytes(f.Host("app.json")), File.ReadAllBytes(f.Pond("app.json")));
        Assert.False(File.Exists(f.Pond(".app-9.json.logtools-partial")));
    }

    [Fact]
    public void A_second_sync_of_the_same_source_waits_then_fails_with_SyncInProgress()
    {
        using var f = new MirrorFixture();
        f.Append("app.json", MirrorFixture.Lines(0, 1));
        // Held as another sync holds it: a file lock on SQLite, an advisory lock on its own connection on PostgreSQL.
        using var held = f.Store.Lock("mirror-app", TimeSpan.Zero, () => new LogToolsException("TestLockHeld", ErrorKind.ResourceBusy, "test", "held"));

        var ex = Assert.Throws<LogToolsException>(() => f.Sync());

        Assert.Equal("SyncInProgress", ex.ErrorId);
        Assert.False(File.Exists(f.Pond("app.json")));
    }

    [Fact]
    public void Links_out_of_the_folder_and_unreadable_files_are_reported_and_the_others_synced()
    {
        using var f = new MirrorFixture();
        var outside = Path.Combine(f.Root, "secret.json");
        File.WriteAllText(outside, "secret");
        File.CreateSymbolicLink(f.Host("app-link.json"), outside);
        File.WriteAllBytes(f.Host("app-real.json"), MirrorFixture.Lines(0, 2));
        File.CreateSymbolicLink(f.Host("app-same.json"), f.Host("app-real.json"));
        // A socket cannot be opened for reading, even by root.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(f.Host("app-sock.json")));

        var results = f.Sync();

        Assert.Equal(["app-real.json", "app-same.json"], results.Select(r => r.Name));
        Assert.Equal(File.ReadAllBytes(f.Host("app-real.json")), File.ReadAllBytes(f.Pond("app-same.json")));
        Assert.Equal(["MirrorFileUnreadable", "MirrorSymlinkOutside"], f.Errors.Select(e => e.ErrorId).Order());
        Assert.Contains(f.Errors, e => (string)e.Target! == f.Host("app-link.json"));
        Assert.False(File.Exists(f.Pond("app-link.json")));
    }

    [Fact]
    public void A_copy_that_fails_midway_is_undone_new_archive_append_and_rotation_alike()
    {
        using var f = new MirrorFixture();
        var failing = new TestSink { OnProgress = _ => throw new OperationCanceledException("stopped") };
        void FailingSync() => Assert.Throws<OperationCanceledException>(() => MirrorSync.Run(f.Store.Path, f.Store, f.Config, new MirrorSyncOptions(), failing).ToList());
        string[] PondFiles() => [.. Directory.GetFiles(Path.GetDirectoryName(f.Pond("x"))!).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        void AssertPondIsRecorded(params string[] names)
        {
            Assert.Equal(names, PondFiles());
            Assert.All(MirrorCatalog.Files(f.Store), file => Assert.Equal(MirrorCheckStatus.Ok, MirrorCatalog.Check(file, host: false).Status));
        }

        f.Append("app.json", MirrorFixture.Lines(0, 100));
        f.Sync();

        // A new archive: its temporary copy is removed.
        File.WriteAllBytes(f.Host("app-0.json"), MirrorFixture.Lines(5000, 100));
        FailingSync();
        AssertPondIsRecorded("app.json");
        File.Delete(f.Host("app-0.json"));

        // An append: the active copy is cut back to its recorded length.
        f.Append("app.json", MirrorFixture.Lines(100, 50));
        FailingSync();
        AssertPondIsRecorded("app.json");

        // A rotation completed with more bytes: rolled back, the active copy is what it was.
        f.Sync();
        f.Append("app.json", MirrorFixture.Lines(150, 20));
        File.Move(f.Host("app.json"), f.Host("app-1.json"));
        f.Append("app.json", MirrorFixture.Lines(170, 2));
        FailingSync();
        AssertPondIsRecorded("app.json");

        var results = f.Sync();
        Assert.Empty(f.Errors);
        Assert.Equal(MirrorAction.Rotated, results.Single(r => r.Name == "app-1.json").Action);
        Assert.Equal(File.ReadAllBytes(f.Host("app-1.json")), File.ReadAllBytes(f.Pond("app-1.json")));
        Assert.Equal(File.ReadAllBytes(f.Host("app.json")), File.ReadAllBytes(f.Pond("app.json")));
    }

    [Fact]
    public void An_archive_truncated_on_the_host_while_it_is_copied_is_reported_and_nothing_is_recorded()
    {
        using var f = new MirrorFixture();
        var archive = f.Host("app-0.json");

        // 128 MiB: the copy runs at most six 16 MiB blocks ahead of the hashing, so the truncation at the first
        // progress report (one block hashed) is met by a block still to be copied.
        var bytes = new byte[128 << 20];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(archive, bytes);
        var truncating = new TestSink
        {
            OnProgress = _ =>
            {
                using var stream = new FileStream(archive, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                stream.SetLength(1 << 20);
            },
        };

        MirrorSync.Run(f.Store.Path, f.Store, f.Config, new MirrorSyncOptions(), truncating).ToList();

        var error = Assert.Single(truncating.Errors);
        Assert.Equal("MirrorFileUnreadable", error.ErrorId);
        Assert.Contains("ended at", error.Message);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(f.Pond("x"))!));
        Assert.Empty(MirrorCatalog.Files(f.Store));

        // The next sync copies what the host holds now.
        var result = Assert.Single(f.Sync());
        Assert.Empty(f.Errors);
        Assert.Equal(MirrorAction.Copied, result.Action);
        Assert.Equal(MirrorFixture.B3(bytes[..(1 << 20)]), result.Blake3);
        Assert.Equal(bytes[..(1 << 20)], File.ReadAllBytes(f.Pond("app-0.json")));
    }

    [Fact]
    public void A_pond_path_outside_the_pond_or_owned_by_another_source_is_refused()
    {
        using var f = new MirrorFixture();
        foreach (var bad in new[] { "../conversations", "/etc", "logs/../../x", "." })
        {
            var ex = Assert.Throws<LogToolsException>(() => MirrorSourceConfig.Create("app", "app-*.json", "app.json", bad, f.HostDir));
            Assert.Equal("MirrorPondPathEscapes", ex.ErrorId);
        }

        f.Append("app.json", MirrorFixture.Lines(0, 1));
        f.Sync();
        var other = MirrorSourceConfig.Create("other", "x-*.json", "x.json", "logs/app", f.HostDir);
        Assert.Equal("MirrorPondPathInUse", Assert.Throws<LogToolsException>(() => f.Sync(config: other)).ErrorId);
    }
}
