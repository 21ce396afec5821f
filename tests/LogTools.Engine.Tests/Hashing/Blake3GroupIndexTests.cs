using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

public sealed class Blake3GroupIndexTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"blake3-index-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16384)]
    [InlineData(16385)]
    [InlineData(100_007)]
    [InlineData((1 << 20) + 16384 * 3 + 5)]
    public void RootAndGroupsMatchTheHash(int length)
    {
        byte[] data = TestData.Random(length, length);
        File.WriteAllBytes(_path, data);
        using var file = File.OpenHandle(_path);
        var index = Blake3GroupIndex.Build(file);

        Assert.Equal(Blake3Hasher.Hash(data), index.Root.ToArray());
        Assert.Equal(length == 0 ? 0 : (length - 1) / 16384, index.GroupCount);
        Assert.Equal(index.Root.ToArray(), index.ComputeRoot(data.AsSpan((int)index.TailOffset)));
        var restored = Blake3GroupIndex.FromGroupCvs(length, index.GroupCvs.Span, index.Root.Span);
        Assert.True(restored.VerifyRange(file, 0, length).IsValid);
    }

    [Fact]
    public void CorruptionIsFoundOnlyByRangesOverIt()
    {
        byte[] data = TestData.Random(200_000, 1);
        File.WriteAllBytes(_path, data);
        Blake3GroupIndex index;
        using (var file = File.OpenHandle(_path))
        {
            index = Blake3GroupIndex.Build(file);
        }

        data[50_000] ^= 1;
        data[199_000] ^= 1;
        File.WriteAllBytes(_path, data);
        using (var file = File.OpenHandle(_path))
        {
            Assert.True(index.VerifyRange(file, 0, 49_152).IsValid);
            Assert.True(index.VerifyRange(file, 65_536, 100_000).IsValid);
            var group = index.VerifyRange(file, 49_000, 2000);
            Assert.Equal(49_152, group.FailedOffset);
            Assert.True(index.VerifyRange(file, 196_000, 10).IsValid);
            var tail = index.VerifyRange(file, 198_000, 10);
            Assert.Equal(index.TailOffset, tail.FailedOffset);
        }
    }
}
