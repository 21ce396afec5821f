using System.Diagnostics;
using System.Text.Json;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

/// <summary>Locates the repository's test data, makes deterministic inputs, and lists the BLAKE3 paths this machine can run.</summary>
internal static class TestData
{
    /// <summary>The test data folder: <c>tests/testdata</c> in the repository (the folder holding LogTools.sln), so a bare clone runs every test.</summary>
    public static string Root { get; } = FindRoot();

    public static JsonDocument Load(string relativePath) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));

    /// <summary>The BLAKE3 vectors' input: bytes 0, 1, ..., 250, 0, 1, ...</summary>
    public static byte[] Blake3Input(int length)
    {
        var input = new byte[length];
        for (int i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        return input;
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static IEnumerable<Blake3Implementation> SupportedImplementations =>
        Enum.GetValues<Blake3Implementation>().Where(Blake3Implementations.IsSupported);

    /// <summary>A default-mode hasher forced onto one path.</summary>
    public static Blake3Hasher Hasher(Blake3Implementation implementation, int threads = 1) =>
        new(Blake3Core.IV, 0, implementation) { MaxDegreeOfParallelism = threads };

    public static byte[] Digest(Blake3Hasher hasher, int length = 32)
    {
        var output = new byte[length];
        hasher.Finalize(output);
        return output;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogTools.sln")))
            {
                string data = Path.Combine(dir.FullName, "tests", "testdata");
                return Directory.Exists(data) ? data : throw new DirectoryNotFoundException($"Test data not found at {data}.");
            }
        }

        throw new DirectoryNotFoundException($"No LogTools.sln above {AppContext.BaseDirectory}.");
    }
}
