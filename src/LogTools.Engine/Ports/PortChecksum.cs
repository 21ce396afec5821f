using System.Buffers;
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
        // The parts gathered into one buffer and hashed at once: the same bytes as hashing them one by one, without a hasher a port.
        var input = new ArrayBufferWriter<byte>(512);
        Add(input, "logtools-port-1");
        Add(input, folder.Digest);
        foreach (var (name, value) in port.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            Add(input, name);
            Add(input, value);
        }

        Add(input, "depends");
        foreach (var dependency in port.Depends.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Add(input, dependency);
            Add(input, dependencyKeys[dependency]);
        }

        Span<byte> digest = stackalloc byte[32];
        Blake3Hasher.Hash(input.WrittenSpan, digest);
        return new PortChecksum(HexDigest.Of(digest), folder);
    }

    private static void Add(ArrayBufferWriter<byte> input, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = input.GetSpan(4 + length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        Encoding.UTF8.GetBytes(text, span[4..]);
        input.Advance(4 + length);
    }
}
