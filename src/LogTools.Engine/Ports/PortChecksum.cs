using System.Buffers.Binary;
using System.Text;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Ports;

/// <summary>
/// A port's build key: BLAKE3 over the port folder's <see cref="DirectoryChecksum"/> (every file's relative path and
/// content, never mtimes), its options and the keys of its dependencies, so a changed dependency changes the keys of
/// everything built on it. Each part is length-prefixed, so two different inputs cannot give the same bytes.
/// </summary>
public sealed class PortChecksum
{
    private PortChecksum(string key, PortFolder folder)
    {
        Key = key;
        Folder = folder;
    }

    /// <summary>The key, lowercase hex.</summary>
    public string Key { get; }

    /// <summary>The port folder's files as summed (for listing what changed).</summary>
    public IReadOnlyList<DirectoryChecksumEntry> Files => Folder.Files;

    /// <summary>The port folder's sum, with the stat tuples that let the next sum read only what changed.</summary>
    internal PortFolder Folder { get; }

    /// <summary>Sums <paramref name="port"/>; <paramref name="dependencyKeys"/> must hold a key for each of its dependencies.</summary>
    public static PortChecksum Compute(PortSpec port, IReadOnlyDictionary<string, string> dependencyKeys, CancellationToken cancellationToken) =>
        Compute(port, PortFolder.Scan(port.Folder, null, cancellationToken), dependencyKeys);

    /// <summary>Sums <paramref name="port"/> from its folder's sum <paramref name="folder"/>, taken beforehand (a plan sums the folders of all ports at once).</summary>
    internal static PortChecksum Compute(PortSpec port, PortFolder folder, IReadOnlyDictionary<string, string> dependencyKeys)
    {
        var hasher = Blake3Hasher.Create();
        Add(hasher, "logtools-port-1");
        Add(hasher, folder.Digest);
        foreach (var (name, value) in port.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            Add(hasher, name);
            Add(hasher, value);
        }

        Add(hasher, "depends");
        foreach (var dependency in port.Depends.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Add(hasher, dependency);
            Add(hasher, dependencyKeys[dependency]);
        }

        var digest = new byte[32];
        hasher.Finalize(digest);
        return new PortChecksum(HexDigest.Of(digest), folder);
    }

    private static void Add(Blake3Hasher hasher, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        hasher.Update(length).Update(bytes);
    }
}
