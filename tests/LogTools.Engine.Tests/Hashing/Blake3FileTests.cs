using LogTools.Engine.Hashing;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>File hashing against b3sum, the independent oracle, on awkward sizes and one 100 MiB file.</summary>
public sealed class Blake3FileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("blake3-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(int length, int seed)
    {
        string path = Path.Combine(_dir, $"{length}.bin");
        File.WriteAllBytes(path, TestData.Random(length, seed));
        return path;
    }

    [Fact]
    public void AwkwardSizesMatchB3sum()
    {
        int[] sizes =
        [
            0, 1, 1023, 1024, 1025, 2047, 2048, 2049,
            16383, 16384, 16385, 65535, 65536, 65537,
            (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (3 << 20) + 1025,
        ];
        string[] paths = sizes.Select(Write).ToArray();
        string[] expected = paths.Select(path => B3sum.Digest(path)).ToArray();
        var mapped = new Blake3Options { UseMemoryMapping = true };
        var singleRead = new Blake3Options { MaxDegreeOfParallelism = 1 };
        var threadedRead = new Blake3Options { MaxDegreeOfParallelism = 3 };
        for (int i = 0; i < paths.Length; i++)
        {
            Assert.True(expected[i] == Blake3File.Hash(paths[i], mapped).ToString(), $"{sizes[i]} bytes, mapped");
            Assert.True(expected[i] == Blake3File.Hash(paths[i], singleRead).ToString(), $"{sizes[i]} bytes, 1 thread, read");
            Assert.True(expected[i] == Blake3File.Hash(paths[i], threadedRead).ToString(), $"{sizes[i]} bytes, 3 threads, read");
            using var stream = File.OpenRead(paths[i]);
            Assert.True(expected[i] == Blake3File.Hash(stream).ToString(), $"{sizes[i]} bytes, stream");
        }
    }

    [Fact]
    public void HundredMebibytesMatchB3sumOnEveryWayOfReading()
    {
        string path = Write(100 << 20, 100);
        string expected = B3sum.Digest(path);
        var progress = new List<long>();
        var hash = Blake3File.Hash(path, new Blake3Options { Progress = progress.Add });
        Assert.Equal(expected, hash.ToString());
        Assert.Equal(100 << 20, hash.Length);
        Assert.Equal(100L << 20, progress[^1]);
        Assert.True(progress.SequenceEqual(progress.Order()));
        Assert.Equal(expected, Blake3File.Hash(path, new Blake3Options { UseMemoryMapping = true }).ToString());
        Assert.Equal(expected, Blake3File.Hash(path, new Blake3Options { MaxDegreeOfParallelism = 1 }).ToString());
    }

    [Fact]
    public void KeyedDeriveKeyAndLengthMatchB3sum()
    {
        string path = Write(70_000, 5);
        const string key = "whats the Elvish word for friend";
        Assert.Equal(Run($"--keyed --no-names {path}", key), Blake3File.Hash(path, new Blake3Options { Key = "whats the Elvish word for friend"u8.ToArray() }).ToString());
        Assert.Equal(Run($"--derive-key LogTools --no-names {path}", null), Blake3File.Hash(path, new Blake3Options { DeriveKeyContext = "LogTools" }).ToString());
        Assert.Equal(Run($"--length 100 --no-names {path}", null), Blake3File.Hash(path, new Blake3Options { OutputLength = 100 }).ToString());

        // Pieces hashed on worker threads carry the mode's key and flags too.
        string large = Write((5 << 20) + 3, 6);
        var keyedRead = new Blake3Options { Key = "whats the Elvish word for friend"u8.ToArray(), MaxDegreeOfParallelism = 2 };
        Assert.Equal(Run($"--keyed --no-names {large}", key), Blake3File.Hash(large, keyedRead).ToString());
    }

    [Fact]
    public void LengthBoundHashesThePrefixAndShortFilesFail()
    {
        string path = Write(50_000, 9);
        byte[] data = File.ReadAllBytes(path);
        using var file = File.OpenHandle(path);
        Assert.Equal(Blake3Hasher.Hash(data.AsSpan(0, 30_000)), Blake3File.Hash(file, 30_000).Digest);
        Assert.Throws<EndOfStreamException>(() => Blake3File.Hash(file, 50_001));

        // A file that ends inside the pieces read on worker threads fails the same way, not with an AggregateException.
        using var large = File.OpenHandle(Write(3 << 20, 4));
        Assert.Throws<EndOfStreamException>(() => Blake3File.Hash(large, 6 << 20, new Blake3Options { MaxDegreeOfParallelism = 2 }));
        using var stream = new MemoryStream(data);
        Assert.Throws<EndOfStreamException>(() => Blake3File.Hash(stream, 50_001));
    }

    private static string Run(string arguments, string? input) => B3sum.Run(arguments.Split(' '), input is null ? null : System.Text.Encoding.UTF8.GetBytes(input)).Trim();
}
