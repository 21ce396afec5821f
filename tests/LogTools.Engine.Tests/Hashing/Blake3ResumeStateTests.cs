using System.Text;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

public class Blake3ResumeStateTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(2048)]
    [InlineData(5000)]
    [InlineData(1 << 20)]
    public void GrowingContentContinuesFromTheSavedLength(int firstLength)
    {
        byte[] data = TestData.Random(firstLength + 70_000, firstLength);
        byte[] saved = Blake3Hasher.Create().Update(data.AsSpan(0, firstLength)).ExportState().ToBytes();

        var resumed = Blake3Hasher.Resume(Blake3ResumeState.FromBytes(saved));
        Assert.Equal(firstLength, resumed.Length);
        Assert.Equal(firstLength, Blake3ResumeState.FromBytes(saved).Length);
        resumed.Update(data.AsSpan(firstLength));
        Assert.Equal(Blake3Hasher.Hash(data), TestData.Digest(resumed));
    }

    [Fact]
    public void KeyedAndDeriveKeyModesSurviveTheRoundTrip()
    {
        byte[] data = TestData.Random(9000, 7);
        foreach (Func<Blake3Hasher> create in new Func<Blake3Hasher>[]
        {
            () => Blake3Hasher.CreateKeyed(Encoding.ASCII.GetBytes("whats the Elvish word for friend")),
            () => Blake3Hasher.CreateDeriveKey("LogTools tests 2025"),
        })
        {
            var resumed = Blake3Hasher.Resume(Blake3ResumeState.FromBytes(create().Update(data.AsSpan(0, 3000)).ExportState().ToBytes()));
            Assert.Equal(TestData.Digest(create().Update(data)), TestData.Digest(resumed.Update(data.AsSpan(3000))));
        }
    }

    [Fact]
    public void TheFormatIsTheDocumentedOne()
    {
        byte[] bytes = Blake3Hasher.Create().Update(new byte[3 * 1024 + 100]).ExportState().ToBytes();
        Assert.Equal(1, bytes[0]);
        Assert.Equal(0, bytes[1]);
        Assert.Equal(3 * 1024 + 100, BitConverter.ToInt64(bytes, 2));
        Assert.Equal(2, bytes[10]);
        Assert.Equal(1, bytes[11]);
        Assert.Equal(36, bytes[12]);
        Assert.Equal(149 + 2 * 32, bytes.Length);
    }

    [Fact]
    public void CorruptionIsDetected()
    {
        byte[] good = Blake3Hasher.Create().Update(new byte[5000]).ExportState().ToBytes();
        for (int i = 1; i < good.Length; i++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[i] ^= 0x20;
            Assert.Throws<InvalidDataException>(() => Blake3ResumeState.FromBytes(bad));
        }

        Assert.Contains("shorter", Assert.Throws<InvalidDataException>(() => Blake3ResumeState.FromBytes(good.AsSpan(0, 20))).Message);
        Assert.Contains("length", Assert.Throws<InvalidDataException>(() => Blake3ResumeState.FromBytes(good.AsSpan(0, good.Length - 1))).Message);
    }

    [Fact]
    public void UnknownVersionIsRejectedClearly()
    {
        byte[] bytes = Blake3Hasher.Create().ExportState().ToBytes();
        bytes[0] = 2;
        var e = Assert.Throws<InvalidDataException>(() => Blake3ResumeState.FromBytes(bytes));
        Assert.Contains("version 2 is not supported", e.Message);
    }
}
