using LogTools.Engine.Hashing;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Hashing;

public sealed class DirectoryChecksumTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_sum_follows_content_and_paths_not_mtimes_or_listing_order()
    {
        var a = Tree("a", ("port.yml", "name: x\n"), ("files/b.patch", "--- a\n"), ("files/a.patch", "+++ b\n"));
        var b = Tree("b", ("files/a.patch", "+++ b\n"), ("port.yml", "name: x\n"), ("files/b.patch", "--- a\n"));
        File.SetLastWriteTimeUtc(Path.Combine(b, "port.yml"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Directory.CreateDirectory(Path.Combine(b, "empty"));

        var sumA = DirectoryChecksum.Compute(a);
        var sumB = DirectoryChecksum.Compute(b);

        Assert.Equal(sumA.Digest, sumB.Digest);
        Assert.Equal(["files/a.patch", "files/b.patch", "port.yml"], sumA.Entries.Select(e => e.RelativePath));
        Assert.Equal(B3("name: x\n"), sumA.Entries[2].Blake3);
    }

    [Fact]
    public void A_changed_byte_a_renamed_file_or_a_moved_file_changes_the_sum_and_is_listed()
    {
        var root = Tree("c", ("port.yml", "name: x\n"), ("files/fix.patch", "--- a\n"));
        var before = DirectoryChecksum.Compute(root);

        File.AppendAllText(Path.Combine(root, "files/fix.patch"), "# comment\n");
        var edited = DirectoryChecksum.Compute(root);
        File.Move(Path.Combine(root, "port.yml"), Path.Combine(root, "Port.yml"));
        var renamed = DirectoryChecksum.Compute(root);

        Assert.NotEqual(before.Digest, edited.Digest);
        Assert.NotEqual(edited.Digest, renamed.Digest);
        Assert.Equal(["files/fix.patch"], DirectoryChecksum.Changed(before.Entries, edited.Entries));
        Assert.Equal(["Port.yml", "port.yml"], DirectoryChecksum.Changed(edited.Entries, renamed.Entries));
    }

    [Fact]
    public void A_symbolic_link_counts_by_its_target_text_and_is_not_followed()
    {
        var root = Tree("d", ("port.yml", "name: x\n"));
        var outside = temp.Combine("outside.txt");
        File.WriteAllText(outside, "one");
        File.CreateSymbolicLink(Path.Combine(root, "link"), outside);
        var before = DirectoryChecksum.Compute(root);

        File.WriteAllText(outside, "two");

        Assert.Equal(before.Digest, DirectoryChecksum.Compute(root).Digest);
        Assert.Equal(DirectoryChecksumEntryKind.SymbolicLink, before.Entries.Single(e => e.RelativePath == "link").Kind);
    }

    [Fact]
    public void A_symbolic_link_to_a_folder_is_one_entry_and_the_folder_is_not_summed()
    {
        var root = Tree("d", ("port.yml", "name: x\n"));
        var outside = Tree("elsewhere", ("a.txt", "one"), ("sub/b.txt", "two"));
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), outside);
        var before = DirectoryChecksum.Compute(root);

        File.WriteAllText(Path.Combine(outside, "a.txt"), "three");

        Assert.Equal(["link", "port.yml"], before.Entries.Select(e => e.RelativePath));
        Assert.Equal(DirectoryChecksumEntryKind.SymbolicLink, before.Entries[0].Kind);
        Assert.Equal(before.Digest, DirectoryChecksum.Compute(root).Digest);
    }

    [Fact]
    public void A_missing_folder_is_a_clear_error()
    {
        var ex = Assert.Throws<LogToolsException>(() => DirectoryChecksum.Compute(temp.Combine("nope")));
        Assert.Equal("FolderNotFound", ex.ErrorId);
    }

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        var root = temp.Combine(name);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }

    private static string B3(string text) => Convert.ToHexString(Blake3Hasher.Hash(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
