using System.Text.Json;
using System.Text.Json.Nodes;
using LogTools.Engine.Hashing;
using LogTools.Engine.Ports;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Ports;

public sealed class PortFolderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Unchanged_tuples_read_nothing_and_a_rewrite_with_the_same_size_and_mtime_is_read_by_its_ctime()
    {
        var folder = temp.Combine("port");
        Directory.CreateDirectory(Path.Combine(folder, "files"));
        File.WriteAllText(Path.Combine(folder, "port.yml"), "name: devel/x\n");
        File.WriteAllText(Path.Combine(folder, "files", "a.patch"), "--- a\n");
        File.WriteAllText(Path.Combine(folder, "files", "b.patch"), "+++ b\n");
        Thread.Sleep(TimeSpan.FromSeconds(3.5)); // past the racy window: the tuples now vouch for the files

        var first = PortFolder.Scan(folder, null, default);
        var second = PortFolder.Scan(folder, first, default);
        Assert.Equal(3, first.FilesRead);
        Assert.Equal(0, second.FilesRead);
        Assert.Equal(DirectoryChecksum.Compute(folder).Digest, second.Digest);

        // Same length, mtime set back as `touch -d` or `cp -p` would: only the ctime tells.
        var patch = Path.Combine(folder, "files", "a.patch");
        var mtime = File.GetLastWriteTimeUtc(patch);
        File.WriteAllText(patch, "--- b\n");
        File.SetLastWriteTimeUtc(patch, mtime);
        var edited = PortFolder.Scan(folder, second, default);
        Assert.Equal(1, edited.FilesRead);
        Assert.Equal(DirectoryChecksum.Compute(folder).Digest, edited.Digest);
        Assert.NotEqual(first.Digest, edited.Digest);
        Assert.Equal(["files/a.patch"], DirectoryChecksum.Changed(first.Files, edited.Files));

        // Just written, its tuple is racy (a change in the same tick would not show): it is read again, the others not.
        Assert.Equal(1, PortFolder.Scan(folder, edited, default).FilesRead);
    }

    [Fact]
    public void A_folder_from_the_index_lists_its_files_and_an_added_file_is_read()
    {
        var folder = temp.Combine("port");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "port.yml"), "name: devel/x\n");
        var scanned = PortFolder.Scan(folder, null, default);
        var stored = PortFolder.Stored(scanned.Digest, scanned.Stats, JsonSerializer.Serialize(scanned.Files));
        Assert.Equal(scanned.Files, stored.Files);

        File.WriteAllText(Path.Combine(folder, "new.patch"), "x\n");
        var grown = PortFolder.Scan(folder, stored, default);
        Assert.Equal(["new.patch"], DirectoryChecksum.Changed(stored.Files, grown.Files));
        Assert.Equal(DirectoryChecksum.Compute(folder).Digest, grown.Digest);
    }

    [Fact]
    public void An_unchanged_folder_is_not_listed_and_every_change_in_it_is_seen()
    {
        // Each case a port folder of its own, so one wait puts all their tuples past the racy window.
        string[] changes = ["added", "removed", "renamed", "rewritten", "subfolder", "in-empty-subfolder", "added-folder-mtime-set-back"];
        foreach (var change in changes)
        {
            var folder = temp.Combine(change);
            Directory.CreateDirectory(Path.Combine(folder, "files"));
            Directory.CreateDirectory(Path.Combine(folder, "empty"));
            File.WriteAllText(Path.Combine(folder, "port.yml"), "name: devel/x\n");
            File.WriteAllText(Path.Combine(folder, "files", "a.patch"), "--- a\n");
        }

        Thread.Sleep(TimeSpan.FromSeconds(3.5)); // past the racy window: the folders' and files' tuples now vouch for them
        foreach (var change in changes)
        {
            var folder = temp.Combine(change);
            var first = PortFolder.Scan(folder, null, default);
            var again = PortFolder.Scan(folder, first, default);
            Assert.True(first.Listed);
            Assert.False(again.Listed); // every tuple unchanged: the record stands, nothing listed or read
            Assert.Equal(0, again.FilesRead);
            Assert.Equal(first.Digest, again.Digest);

            string[] changed = change switch
            {
                "added" => Write(folder, "files/b.patch"),
                "removed" => Delete(folder, "files/a.patch"),
                "renamed" => Rename(folder, "files/a.patch", "files/c.patch"),
                "rewritten" => Rewrite(folder, "files/a.patch"),
                "subfolder" => Write(folder, "files/new/d.patch"),
                "in-empty-subfolder" => Write(folder, "empty/e.patch"),
                _ => WriteWithFolderTimeSetBack(folder, "files/f.patch"),
            };

            var scanned = PortFolder.Scan(folder, again, default);
            Assert.True(scanned.Listed);
            Assert.Equal(DirectoryChecksum.Compute(folder).Digest, scanned.Digest);
            Assert.NotEqual(first.Digest, scanned.Digest);
            Assert.Equal(changed, DirectoryChecksum.Changed(first.Files, scanned.Files));
        }
    }

    [Fact]
    public void A_record_without_folder_tuples_is_listed_and_recorded_with_them()
    {
        var folder = temp.Combine("port");
        Directory.CreateDirectory(Path.Combine(folder, "files"));
        File.WriteAllText(Path.Combine(folder, "port.yml"), "name: devel/x\n");
        Thread.Sleep(TimeSpan.FromSeconds(3.5));
        var scanned = PortFolder.Scan(folder, null, default);
        // As a store written before the folders' tuples were kept holds it: the files' tuples alone.
        var files = JsonNode.Parse(scanned.Stats!)!.AsArray().Where(e => !e![0]!.GetValue<string>().EndsWith('/')).Select(e => e!.DeepClone());
        var old = PortFolder.Stored(scanned.Digest, new JsonArray([.. files]).ToJsonString(), JsonSerializer.Serialize(scanned.Files));
        Write(folder, "files/new.patch");

        var grown = PortFolder.Scan(folder, old, default);
        Assert.Equal(["files/new.patch"], DirectoryChecksum.Changed(old.Files, grown.Files));
        Assert.Equal(1, grown.FilesRead);
        Assert.True(grown.Listed);
        Assert.Contains("[\"files/\",", grown.Stats, StringComparison.Ordinal);
    }

    private static string[] Write(string folder, string relative)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
        return [relative];
    }

    private static string[] Delete(string folder, string relative)
    {
        File.Delete(Path.Combine(folder, relative));
        return [relative];
    }

    private static string[] Rename(string folder, string from, string to)
    {
        File.Move(Path.Combine(folder, from), Path.Combine(folder, to));
        return [from, to];
    }

    // Same length, mtime set back as `touch -d` or `cp -p` would: only the ctime tells.
    private static string[] Rewrite(string folder, string relative)
    {
        var path = Path.Combine(folder, relative);
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "--- b\n");
        File.SetLastWriteTimeUtc(path, mtime);
        return [relative];
    }

    // A file added and its folder's mtime set back: the folder's ctime still moved.
    private static string[] WriteWithFolderTimeSetBack(string folder, string relative)
    {
        var parent = Path.GetDirectoryName(Path.Combine(folder, relative))!;
        var mtime = Directory.GetLastWriteTimeUtc(parent);
        var added = Write(folder, relative);
        Directory.SetLastWriteTimeUtc(parent, mtime);
        return added;
    }
}
