using System.Management.Automation;
using System.Security.Cryptography;
using LogTools.Tests.Support;

namespace LogTools.Tests.Hashing;

public sealed class GetFileBlake3Tests
{
    private static readonly int[] AwkwardSizes = [0, 1, 1023, 1024, 1025, 16 * 1024 + 1, 65 * 1024 - 1, (1 << 20) - 1, (1 << 20) + 1, 3 * (1 << 20) + 7];

    [Fact]
    public void Digests_equal_b3sum_for_awkward_sizes_through_wildcards_and_file_objects()
    {
        using var session = new ModuleSession();
        var folder = session.Folder.Combine("files");
        Directory.CreateDirectory(folder);
        foreach (var size in AwkwardSizes)
        {
            File.WriteAllBytes(Path.Combine(folder, $"f{size:D8}.bin"), RandomNumberGenerator.GetBytes(size));
        }

        var expected = B3sum.Run(Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);

        var byPath = session.Run("Get-FileBlake3 -Path $args[0]", Path.Combine(folder, "*.bin")).AssertNoErrors().Output;
        var byObjects = session.Run("[System.IO.DirectoryInfo]::new($args[0]).GetFiles() | Get-FileBlake3", folder).AssertNoErrors().Output;

        foreach (var results in new[] { byPath, byObjects })
        {
            Assert.Equal(AwkwardSizes.Length, results.Count);
            foreach (var result in results)
            {
                Assert.Equal("BLAKE3", result.Properties["Algorithm"].Value);
                var path = (string)result.Properties["Path"].Value;
                Assert.Equal(expected[path], result.Properties["Hash"].Value);
                Assert.Equal(new FileInfo(path).Length, result.Properties["Length"].Value);
            }
        }
    }

    [Fact]
    public void Extended_keyed_and_derive_key_modes_equal_b3sum()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("data.bin");
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(100_000));
        var key = RandomNumberGenerator.GetBytes(32);

        var extended = session.Run("(Get-FileBlake3 -LiteralPath $args[0] -Length 100).Hash", file).AssertNoErrors().Objects.Single();
        var keyedHex = session.Run("(Get-FileBlake3 -LiteralPath $args[0] -Key $args[1]).Hash", file, Convert.ToHexString(key)).AssertNoErrors().Objects.Single();
        var keyedBytes = session.Run("(Get-FileBlake3 -LiteralPath $args[0] -Key $args[1]).Hash", file, key).AssertNoErrors().Objects.Single();
        var derived = session.Run("(Get-FileBlake3 -LiteralPath $args[0] -DeriveKeyContext 'LogTools 2026 test').Hash", file).AssertNoErrors().Objects.Single();

        Assert.Equal(B3sum.Digest(file, "--length", "100"), extended);
        var keyed = B3sum.Run(["--keyed", "--no-names", file], key).Trim();
        Assert.Equal(keyed, keyedHex);
        Assert.Equal(keyed, keyedBytes);
        Assert.Equal(B3sum.Digest(file, "--derive-key", "LogTools 2026 test"), derived);
    }

    [Fact]
    public void Missing_paths_and_folders_are_errors_and_the_next_file_is_still_hashed()
    {
        using var session = new ModuleSession();
        var good = session.Folder.Combine("good.txt");
        File.WriteAllText(good, "hello");
        var missing = session.Folder.Combine("missing.txt");

        var result = session.Run("Get-FileBlake3 -Path $args[0], $args[1], $args[2]", missing, session.Folder.Path, good);

        Assert.Equal(
            ["FileNotFound,LogTools.Commands.GetFileBlake3Command", "PathIsDirectory,LogTools.Commands.GetFileBlake3Command"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Equal(missing, result.Errors[0].TargetObject);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Equal(B3sum.Digest(good), result.Output.Single().Properties["Hash"].Value);
    }

    [Fact]
    public void A_key_that_is_not_32_bytes_stops_before_any_file_is_read()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("a.txt");
        File.WriteAllText(file, "a");

        var result = session.Run("Get-FileBlake3 -LiteralPath $args[0] -Key 'abcd'", file);

        Assert.Empty(result.Output);
        Assert.Equal("KeyNotThirtyTwoBytes,LogTools.Commands.GetFileBlake3Command", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_file_truncated_while_it_is_hashed_is_an_error_not_a_wrong_digest()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("shrinking.log");
        using (var stream = File.Create(file))
        {
            stream.SetLength(8L << 30); // sparse: reads fast, costs no disk
        }

        var hashing = Task.Run(() => session.Run("Get-FileBlake3 -LiteralPath $args[0]", file));
        await Task.Delay(300);
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.SetLength(1 << 20);
        }

        var result = await hashing;
        Assert.Empty(result.Output);
        Assert.Equal("FileReadFailed,LogTools.Commands.GetFileBlake3Command", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void Outboards_are_written_per_file_and_not_with_WhatIf()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("big.bin");
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(5 * 1024 + 3));
        var outboards = session.Folder.Combine("outboards");
        Directory.CreateDirectory(outboards);

        var planned = session.Run("Get-FileBlake3 -LiteralPath $args[0] -OutboardPath $args[1] -WhatIf", file, outboards).AssertNoErrors();
        Assert.Empty(Directory.GetFiles(outboards));
        Assert.Equal(B3sum.Digest(file), planned.Output.Single().Properties["Hash"].Value);

        var written = session.Run("Get-FileBlake3 -LiteralPath $args[0] -OutboardPath $args[1]", file, outboards).AssertNoErrors().Output.Single();
        var outboard = Path.Combine(outboards, "big.bin.obao");
        Assert.Equal(outboard, written.Properties["OutboardPath"].Value);
        Assert.Equal(B3sum.Digest(file), written.Properties["Hash"].Value);
        var bytes = File.ReadAllBytes(outboard);
        Assert.Equal(8 + (64 * (6 - 1)), bytes.Length); // header + one parent per chunk boundary (6 chunks)
        Assert.Equal(5L * 1024 + 3, BitConverter.ToInt64(bytes, 0));
        Assert.Equal([outboard], Directory.GetFiles(outboards)); // no temporary left beside it
    }
}
