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
        var stored = PortFolder.Stored(scanned.Digest, scanned.Stats, System.Text.Json.JsonSerializer.Serialize(scanned.Files));
        Assert.Equal(scanned.Files, stored.Files);

        File.WriteAllText(Path.Combine(folder, "new.patch"), "x\n");
        var grown = PortFolder.Scan(folder, stored, default);
        Assert.Equal(["new.patch"], DirectoryChecksum.Changed(stored.Files, grown.Files));
        Assert.Equal(DirectoryChecksum.Compute(folder).Digest, grown.Digest);
    }
}
