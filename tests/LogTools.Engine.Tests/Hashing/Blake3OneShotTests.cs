using LogTools.Engine.Hashing;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>
/// The one-shot hash, whose inputs of one chunk skip the hasher, against b3sum and the streaming hasher on every
/// length from 0 to 2048 bytes: empty, every block boundary of the first chunk, the chunk boundary, and past it.
/// </summary>
public sealed class Blake3OneShotTests : IDisposable
{
    private const int Longest = 2048;
    private readonly string _dir = Directory.CreateTempSubdirectory("blake3-oneshot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_length_up_to_two_chunks_matches_b3sum()
    {
        var data = TestData.Random(Longest, 7);
        var paths = new List<string>();
        for (var length = 0; length <= Longest; length++)
        {
            var path = Path.Combine(_dir, $"{length}.bin");
            File.WriteAllBytes(path, data[..length]);
            paths.Add(path);
        }

        // One b3sum for all 2049 files: "<digest>  <path>" a line, in argument order.
        var lines = B3sum.Run(paths).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Longest + 1, lines.Length);
        for (var length = 0; length <= Longest; length++)
        {
            var digest = new byte[32];
            Blake3Hasher.Hash(data.AsSpan(0, length), digest);
            Assert.True(lines[length].StartsWith(HexDigest.Of(digest) + " ", StringComparison.Ordinal), $"{length} bytes: {lines[length]}");
        }
    }

    [Fact]
    public void Every_length_up_to_two_chunks_matches_the_streaming_hasher_on_every_implementation()
    {
        var data = TestData.Random(Longest, 11);
        foreach (var implementation in TestData.SupportedImplementations)
        {
            for (var length = 0; length <= Longest; length++)
            {
                var streamed = TestData.Digest(TestData.Hasher(implementation).Update(data.AsSpan(0, length)));
                var oneShot = new byte[32];
                Blake3Hasher.Hash(data.AsSpan(0, length), oneShot);
                Assert.True(streamed.AsSpan().SequenceEqual(oneShot), $"{length} bytes, {implementation}");
                Assert.Equal(streamed, Blake3Hasher.Hash(data.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public void An_output_longer_than_a_digest_is_the_extended_output()
    {
        var data = TestData.Random(300, 3);
        var extended = new byte[100];
        Blake3Hasher.Hash(data, extended);
        Assert.Equal(TestData.Digest(Blake3Hasher.Create().Update(data), 100), extended);
        Assert.Equal(B3sum.Run(["--no-names", "--length", "100"], data).Trim(), HexDigest.Of(extended));
    }
}
