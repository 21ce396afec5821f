using LogTools.Engine.Hashing;
using PackageHasher = Blake3.Hasher;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>
/// The NuGet package Blake3 (a separate managed implementation, test-only) as an in-process oracle: every mode,
/// random lengths and split points, extended output at offsets, and lengths around the engine's 1 MiB subtrees,
/// where it starts hashing on several threads.
/// </summary>
public sealed class Blake3PackageOracleTests
{
    private const int MiB = 1 << 20;

    private static byte[] Expected(PackageHasher oracle, int length = 32, ulong offset = 0)
    {
        var output = new byte[length];
        oracle.Finalize(offset, output);
        return output;
    }

    private static byte[] Actual(Blake3Hasher hasher, int length = 32, ulong offset = 0)
    {
        var output = new byte[length];
        hasher.Finalize(output, offset);
        return output;
    }

    /// <summary>Feeds <paramref name="data"/> to the engine in pieces cut at random points.</summary>
    private static Blake3Hasher UpdateInPieces(Blake3Hasher hasher, byte[] data, Random random)
    {
        int done = 0;
        while (done < data.Length)
        {
            int piece = Math.Min(data.Length - done, random.Next(0, 3) switch { 0 => random.Next(1, 64), 1 => random.Next(1, 4096), _ => random.Next(1, 40_000) });
            hasher.Update(data.AsSpan(done, piece));
            done += piece;
        }

        return hasher;
    }

    [Fact]
    public void Random_lengths_and_split_points_on_every_implementation()
    {
        var random = new Random(31337);
        for (int round = 0; round < 150; round++)
        {
            int length = random.Next(0, 3) switch { 0 => random.Next(0, 2049), 1 => random.Next(0, 70_000), _ => random.Next(0, 600_000) };
            byte[] data = TestData.Random(length, round);
            using var oracle = PackageHasher.New();
            oracle.Update(data);
            byte[] expected = Expected(oracle);
            foreach (var implementation in TestData.SupportedImplementations)
            {
                Assert.True(expected.AsSpan().SequenceEqual(Actual(UpdateInPieces(TestData.Hasher(implementation), data, random))), $"{implementation}, {length} bytes");
            }
        }
    }

    [Fact]
    public void Keyed_and_derive_key_modes()
    {
        var random = new Random(4242);
        for (int round = 0; round < 40; round++)
        {
            byte[] key = TestData.Random(32, 1000 + round);
            string context = $"LogTools oracle test {round} 2026-12-01";
            byte[] data = TestData.Random(random.Next(0, 200_000), round);

            using var keyedOracle = PackageHasher.NewKeyed(key);
            keyedOracle.Update(data);
            Assert.Equal(Expected(keyedOracle, 64), Actual(UpdateInPieces(Blake3Hasher.CreateKeyed(key), data, random), 64));

            using var deriveOracle = PackageHasher.NewDeriveKey(context);
            deriveOracle.Update(data);
            Assert.Equal(Expected(deriveOracle, 64), Actual(UpdateInPieces(Blake3Hasher.CreateDeriveKey(context), data, random), 64));
        }
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(0UL, 1000)]
    [InlineData(1UL, 31)]
    [InlineData(63UL, 2)]
    [InlineData(64UL, 64)]
    [InlineData(65UL, 200)]
    [InlineData(1000UL, 131)]
    [InlineData(1UL << 32, 100)]
    [InlineData((1UL << 38) + 17, 77)]
    public void Extended_output_at_offsets(ulong offset, int length)
    {
        foreach (int inputLength in new[] { 0, 1, 1024, 1025, 100_000 })
        {
            byte[] data = TestData.Random(inputLength, inputLength);
            using var oracle = PackageHasher.New();
            oracle.Update(data);
            var hasher = Blake3Hasher.Create();
            hasher.Update(data);
            Assert.Equal(Expected(oracle, length, offset), Actual(hasher, length, offset));
        }
    }

    [Fact]
    public void Lengths_around_the_multithreading_boundaries_on_one_two_and_all_threads()
    {
        int[] lengths = [MiB - 1, MiB, MiB + 1, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1, 2 * MiB + 1024, 3 * MiB + 7, 4 * MiB, 5 * MiB - 1023];
        byte[] data = TestData.Random(lengths.Max(), 99);
        foreach (int length in lengths)
        {
            using var oracle = PackageHasher.New();
            oracle.UpdateWithJoin(data.AsSpan(0, length));
            byte[] expected = Expected(oracle);
            foreach (int threads in new[] { 1, 2, Environment.ProcessorCount })
            {
                // One call with all the input, and the same input split just before and just after the first subtree.
                var whole = TestData.Hasher(Blake3Implementations.Best, threads);
                whole.Update(data.AsSpan(0, length));
                Assert.True(expected.AsSpan().SequenceEqual(Actual(whole)), $"{length} bytes in one update, {threads} threads");

                foreach (int cut in new[] { Math.Min(length, MiB - 1), Math.Min(length, MiB + 1) })
                {
                    var split = TestData.Hasher(Blake3Implementations.Best, threads);
                    split.Update(data.AsSpan(0, cut)).Update(data.AsSpan(cut, length - cut));
                    Assert.True(expected.AsSpan().SequenceEqual(Actual(split)), $"{length} bytes split at {cut}, {threads} threads");
                }
            }
        }
    }
}
