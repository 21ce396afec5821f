using FsCheck.Xunit;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>Properties over random inputs: however the work is split or run, the digest is that of the one-shot hash.</summary>
public class Blake3PropertyTests
{
    /// <summary>Cut points (any order, any range) mapped onto [0, length], sorted, with the end appended.</summary>
    private static int[] Pieces(int[] cuts, int length) =>
        cuts.Select(c => (int)((uint)c % (uint)(length + 1))).Append(length).Order().ToArray();

    [Property(MaxTest = 100)]
    public bool IncrementalUpdatesGiveTheOneShotHash(int seed, ushort length, int[] cuts)
    {
        byte[] data = TestData.Random(length * 2, seed);
        var hasher = Blake3Hasher.Create();
        int done = 0;
        foreach (int end in Pieces(cuts, data.Length))
        {
            hasher.Update(data.AsSpan(done, end - done));
            done = end;
        }

        return hasher.Length == data.Length && TestData.Digest(hasher).AsSpan().SequenceEqual(Blake3Hasher.Hash(data));
    }

    [Property(MaxTest = 100)]
    public bool ResumingFromSerialisedStatesGivesTheOneShotHash(int seed, ushort length, int[] cuts)
    {
        byte[] data = TestData.Random(length * 2, seed);
        var hasher = Blake3Hasher.Create();
        int done = 0;
        foreach (int end in Pieces(cuts, data.Length))
        {
            hasher = Blake3Hasher.Resume(Blake3ResumeState.FromBytes(hasher.ExportState().ToBytes()));
            hasher.Update(data.AsSpan(done, end - done));
            done = end;

            // The root of the prefix so far, without consuming the state.
            if (!TestData.Digest(hasher).AsSpan().SequenceEqual(Blake3Hasher.Hash(data.AsSpan(0, done))))
            {
                return false;
            }
        }

        return TestData.Digest(hasher).AsSpan().SequenceEqual(Blake3Hasher.Hash(data));
    }

    [Property(MaxTest = 12)]
    public bool EveryPathAndThreadCountAgrees(int seed, uint size)
    {
        // Up to 5 MiB so that some inputs split into 1 MiB pieces across threads.
        byte[] data = TestData.Random((int)(size % (5u << 20)), seed);
        byte[] expected = TestData.Digest(TestData.Hasher(Blake3Implementation.Scalar).Update(data));
        return TestData.SupportedImplementations.All(implementation =>
            new[] { 1, 3 }.All(threads =>
                TestData.Digest(TestData.Hasher(implementation, threads).Update(data)).AsSpan().SequenceEqual(expected)));
    }

    [Property(MaxTest = 100)]
    public bool ExtendedOutputSeekEqualsTheSliceOfALongerOutput(int seed, ushort length, ushort offset, byte count)
    {
        var hasher = Blake3Hasher.Create().Update(TestData.Random(length, seed));
        byte[] whole = TestData.Digest(hasher, offset + count);
        var slice = new byte[count];
        hasher.Finalize(slice, offset);
        return whole.AsSpan(offset).SequenceEqual(slice);
    }
}
