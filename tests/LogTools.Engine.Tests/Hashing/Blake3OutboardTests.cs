using System.Text.Json;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>bao's official vectors for the hash and the outboard encoding, including its corruption cases.</summary>
public class Blake3OutboardTests
{
    private static readonly JsonDocument Vectors = TestData.Load("bao/test_vectors.json");

    /// <summary>bao's input: a 4-byte little-endian counter starting at 1, truncated to the length.</summary>
    private static byte[] BaoInput(int length)
    {
        var input = new byte[length];
        for (int i = 0; i < length; i++)
        {
            input[i] = (byte)(((i / 4) + 1) >> (8 * (i % 4)));
        }

        return input;
    }

    public static TheoryData<int> Cases(string section)
    {
        var data = new TheoryData<int>();
        foreach (var c in Vectors.RootElement.GetProperty(section).EnumerateArray())
        {
            data.Add(c.GetProperty("input_len").GetInt32());
        }

        return data;
    }

    private static JsonElement Case(string section, int length) =>
        Vectors.RootElement.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("input_len").GetInt32() == length);

    [Theory]
    [MemberData(nameof(Cases), "hash")]
    public void RootIsTheBaoHash(int length) =>
        Assert.Equal(Case("hash", length).GetProperty("bao_hash").GetString(), Convert.ToHexStringLower(Blake3Hasher.Hash(BaoInput(length))));

    [Theory]
    [MemberData(nameof(Cases), "outboard")]
    public void OutboardMatchesAndCorruptionIsDetected(int length)
    {
        var c = Case("outboard", length);
        byte[] input = BaoInput(length);
        var outboard = new MemoryStream();
        byte[] root = Blake3Outboard.Encode(new MemoryStream(input), outboard);
        byte[] encoded = outboard.ToArray();

        Assert.Equal(c.GetProperty("bao_hash").GetString(), Convert.ToHexStringLower(root));
        Assert.Equal(c.GetProperty("output_len").GetInt32(), encoded.Length);
        Assert.Equal(encoded.Length, Blake3Outboard.GetLength(length));
        Assert.Equal(c.GetProperty("encoded_blake3").GetString(), Convert.ToHexStringLower(Blake3Hasher.Hash(encoded)));
        Assert.True(Blake3Outboard.Verify(new MemoryStream(input), new MemoryStream(encoded), root).IsValid);

        foreach (var offset in c.GetProperty("outboard_corruptions").EnumerateArray().Select(e => e.GetInt32()))
        {
            byte[] bad = (byte[])encoded.Clone();
            bad[offset] ^= 1;
            Assert.False(Blake3Outboard.Verify(new MemoryStream(input), new MemoryStream(bad), root).IsValid, $"outboard byte {offset}");
        }

        foreach (var offset in c.GetProperty("input_corruptions").EnumerateArray().Select(e => e.GetInt32()))
        {
            byte[] bad = (byte[])input.Clone();
            bad[offset] ^= 1;
            var result = Blake3Outboard.Verify(new MemoryStream(bad), new MemoryStream(encoded), root);
            Assert.False(result.IsValid, $"input byte {offset}");
            Assert.True(result.FailedOffset <= offset, result.ToString());
        }
    }

    [Fact]
    public void LargeOutboardReportsTheCorruptChunk()
    {
        byte[] input = TestData.Random(300_000, 3);
        var outboard = new MemoryStream();
        byte[] root = Blake3Outboard.Encode(new MemoryStream(input), outboard);
        Assert.Equal(Blake3Hasher.Hash(input), root);
        input[200_000] ^= 0x80;
        var result = Blake3Outboard.Verify(new MemoryStream(input), new MemoryStream(outboard.ToArray()), root);
        Assert.Equal(200_000 / 1024 * 1024, result.FailedOffset);
    }
}
