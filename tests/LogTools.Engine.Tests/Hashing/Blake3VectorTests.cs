using System.Text;
using System.Text.Json;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>The official BLAKE3 test vectors, on every path this machine supports and multi-threaded.</summary>
public class Blake3VectorTests
{
    private static readonly JsonDocument Vectors = TestData.Load("blake3/test_vectors.json");

    public static TheoryData<int> InputLengths()
    {
        var data = new TheoryData<int>();
        foreach (var c in Vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("input_len").GetInt32());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InputLengths))]
    public void AllModesOnEveryPath(int inputLength)
    {
        var c = Vectors.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("input_len").GetInt32() == inputLength);
        byte[] input = TestData.Blake3Input(inputLength);
        uint[] key = Blake3Hasher.KeyWords(Encoding.ASCII.GetBytes(Vectors.RootElement.GetProperty("key").GetString()!));
        uint[] context = Blake3Hasher.DeriveKeyWords(Vectors.RootElement.GetProperty("context_string").GetString()!);
        var modes = new (string Name, uint[] Key, uint Flags)[]
        {
            ("hash", Blake3Core.IV.ToArray(), 0),
            ("keyed_hash", key, Blake3Core.KeyedHash),
            ("derive_key", context, Blake3Core.DeriveKeyMaterial),
        };

        foreach (var (name, modeKey, flags) in modes)
        {
            string expected = c.GetProperty(name).GetString()!;
            foreach (var implementation in TestData.SupportedImplementations)
            {
                foreach (int threads in new[] { 1, 4 })
                {
                    var hasher = new Blake3Hasher(modeKey, flags, implementation) { MaxDegreeOfParallelism = threads };
                    hasher.Update(input);
                    byte[] output = TestData.Digest(hasher, expected.Length / 2);
                    Assert.True(expected == Convert.ToHexStringLower(output), $"{name}, {implementation}, {threads} threads");
                    Assert.Equal(expected[..64], Convert.ToHexStringLower(TestData.Digest(hasher)));
                }
            }
        }
    }

    [Fact]
    public void PublicFactoriesMatchTheVectors()
    {
        var c = Vectors.RootElement.GetProperty("cases").EnumerateArray().Last();
        byte[] input = TestData.Blake3Input(c.GetProperty("input_len").GetInt32());
        string Hex(Blake3Hasher h) => Convert.ToHexStringLower(TestData.Digest(h.Update(input)));

        Assert.Equal(c.GetProperty("hash").GetString()![..64], Convert.ToHexStringLower(Blake3Hasher.Hash(input)));
        Assert.Equal(c.GetProperty("hash").GetString()![..64], Hex(Blake3Hasher.Create()));
        Assert.Equal(c.GetProperty("keyed_hash").GetString()![..64], Hex(Blake3Hasher.CreateKeyed(Encoding.ASCII.GetBytes(Vectors.RootElement.GetProperty("key").GetString()!))));
        Assert.Equal(c.GetProperty("derive_key").GetString()![..64], Hex(Blake3Hasher.CreateDeriveKey(Vectors.RootElement.GetProperty("context_string").GetString()!)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void KeyOfWrongLengthIsRejectedClearly(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => Blake3Hasher.CreateKeyed(new byte[length]));
        Assert.Contains($"exactly 32 bytes; got {length}", e.Message);
    }
}
