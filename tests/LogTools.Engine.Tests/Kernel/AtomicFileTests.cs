using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Kernel;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_whole_write_replaces_the_target_and_leaves_no_temporary()
    {
        var target = _temp.Combine("out.txt");
        File.WriteAllText(target, "old");
        var recorded = 0;

        var result = AtomicFile.Write(target, s => { s.Write("new"u8); return 3; }, n => recorded = n);

        Assert.Equal((3, 3, "new"), (result, recorded, File.ReadAllText(target)));
        Assert.Equal([target], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_target_and_removes_the_temporary()
    {
        var target = _temp.Combine("out.txt");
        File.WriteAllText(target, "old");

        Assert.Throws<IOException>(() => AtomicFile.Write<int>(target, s =>
        {
            s.Write("half"u8);
            Assert.True(File.Exists(AtomicFile.PartialPath(target)));
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_failed_record_removes_the_unrecorded_target()
    {
        var target = _temp.Combine("out.txt");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s => 1, _ => throw new InvalidOperationException("database busy")));

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }
}
