using Microsoft.Win32.SafeHandles;

namespace LogTools.Engine.Hashing;

/// <summary>
/// Chaining values of every complete 16 KiB group (16 chunks: a complete BLAKE3 subtree) of a file's
/// default-mode hash, so that a byte range can be verified by re-reading only the groups that overlap it,
/// and the root can be recomputed from the group CVs plus the tail.
/// </summary>
/// <remarks>
/// Groups 0 .. <see cref="GroupCount"/>−1 are indexed; the tail (the last 1..16384 bytes, the group that
/// holds the last byte) is not, because it may be the root or hold it.
/// </remarks>
public sealed unsafe class Blake3GroupIndex
{
    /// <summary>Bytes per group: 16 chunks.</summary>
    public const int GroupLength = 16 * Blake3Core.ChunkLen;

    private const int BuildGroups = Blake3Core.PieceLen / GroupLength;

    private readonly byte[] _groupCvs;
    private readonly byte[] _root;

    private Blake3GroupIndex(long length, byte[] groupCvs, byte[] root)
    {
        Length = length;
        _groupCvs = groupCvs;
        _root = root;
    }

    /// <summary>Length of the indexed content.</summary>
    public long Length { get; }

    /// <summary>Number of indexed groups: all groups before the tail.</summary>
    public int GroupCount => _groupCvs.Length / Blake3Core.OutLen;

    /// <summary>The group chaining values, 32 bytes each, in file order (to persist the index).</summary>
    public ReadOnlyMemory<byte> GroupCvs => _groupCvs;

    /// <summary>The BLAKE3 hash of the content.</summary>
    public ReadOnlyMemory<byte> Root => _root;

    /// <summary>Offset where the unindexed tail starts.</summary>
    public long TailOffset => (long)GroupCount * GroupLength;

    /// <summary>Indexes the first <paramref name="length"/> bytes of a file (all when -1).</summary>
    public static Blake3GroupIndex Build(SafeFileHandle file, long length = -1)
    {
        ArgumentNullException.ThrowIfNull(file);
        length = length < 0 ? RandomAccess.GetLength(file) : length;
        int groups = IndexedGroups(length);
        var cvs = new byte[groups * Blake3Core.OutLen];
        var buffer = new byte[Blake3Core.PieceLen];
        for (int g = 0; g < groups; g += BuildGroups)
        {
            int n = Math.Min(BuildGroups, groups - g);
            Read(file, (long)g * GroupLength, buffer.AsSpan(0, n * GroupLength));
            GroupCvsOf(buffer, g, n, cvs.AsSpan(g * Blake3Core.OutLen));
        }

        var index = new Blake3GroupIndex(length, cvs, []);
        return new Blake3GroupIndex(length, cvs, index.ComputeRoot(ReadTail(file, index)));
    }

    /// <summary>Re-creates an index from persisted parts (see <see cref="GroupCvs"/> and <see cref="Root"/>).</summary>
    /// <exception cref="ArgumentException">The sizes do not fit <paramref name="length"/>.</exception>
    public static Blake3GroupIndex FromGroupCvs(long length, ReadOnlySpan<byte> groupCvs, ReadOnlySpan<byte> root)
    {
        if (groupCvs.Length != IndexedGroups(length) * Blake3Core.OutLen || root.Length != Blake3Core.OutLen)
        {
            throw new ArgumentException($"Content of {length} bytes needs {IndexedGroups(length)} group CVs of 32 bytes and a 32-byte root; got {groupCvs.Length} and {root.Length} bytes.");
        }

        return new Blake3GroupIndex(length, groupCvs.ToArray(), root.ToArray());
    }

    /// <summary>The root hash recomputed from the group CVs and <paramref name="tail"/> (bytes from <see cref="TailOffset"/> to <see cref="Length"/>).</summary>
    public byte[] ComputeRoot(ReadOnlySpan<byte> tail)
    {
        if (tail.Length != Length - TailOffset)
        {
            throw new ArgumentException($"The tail must be {Length - TailOffset} bytes; got {tail.Length}.", nameof(tail));
        }

        var hasher = Blake3Hasher.Create();
        for (int g = 0; g < GroupCount; g++)
        {
            hasher.AppendSubtree(_groupCvs.AsSpan(g * Blake3Core.OutLen, Blake3Core.OutLen), GroupLength / Blake3Core.ChunkLen);
        }

        var root = new byte[Blake3Core.OutLen];
        hasher.Update(tail).Finalize(root);
        return root;
    }

    /// <summary>
    /// Verifies bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of the file
    /// by re-reading only the groups overlapping them (and the tail, checked against the root, when the range reaches it).
    /// </summary>
    public Blake3Verification VerifyRange(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (offset < 0 || count < 0 || offset + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"The range [{offset}, {offset + count}) is not within the {Length} indexed bytes.");
        }

        var buffer = new byte[GroupLength];
        Span<byte> cv = stackalloc byte[Blake3Core.OutLen];
        long end = offset + count;
        for (long g = offset / GroupLength; g < GroupCount && g * GroupLength < end; g++)
        {
            if (!TryRead(file, g * GroupLength, buffer))
            {
                return new Blake3Verification(g * GroupLength, "the file is shorter than the index");
            }

            GroupCvsOf(buffer, (int)g, 1, cv);
            if (!cv.SequenceEqual(_groupCvs.AsSpan((int)g * Blake3Core.OutLen, Blake3Core.OutLen)))
            {
                return new Blake3Verification(g * GroupLength, $"group {g} does not match its chaining value");
            }
        }

        if (end > TailOffset || count == 0 && offset == Length)
        {
            if (RandomAccess.GetLength(file) < Length || !ComputeRoot(ReadTail(file, this)).AsSpan().SequenceEqual(_root))
            {
                return new Blake3Verification(TailOffset, "the tail does not match the root hash");
            }
        }

        return Blake3Verification.Valid;
    }

    private static int IndexedGroups(long length) => length == 0 ? 0 : checked((int)((length - 1) / GroupLength));

    /// <summary>CVs of <paramref name="groups"/> whole groups at the start of <paramref name="bytes"/>, the first being group <paramref name="first"/>.</summary>
    private static void GroupCvsOf(ReadOnlySpan<byte> bytes, int first, int groups, Span<byte> output)
    {
        const int chunksPerGroup = GroupLength / Blake3Core.ChunkLen;
        byte* cvs = stackalloc byte[BuildGroups * chunksPerGroup * Blake3Core.OutLen];
        fixed (byte* input = bytes)
        fixed (uint* key = Blake3Core.IV)
        {
            Blake3Core.HashMany(input, Blake3Core.ChunkLen, groups * chunksPerGroup, Blake3Core.ChunkLen / Blake3Core.BlockLen, key,
                (ulong)first * chunksPerGroup, true, 0, Blake3Core.ChunkStart, Blake3Core.ChunkEnd, cvs, Blake3Implementations.Best);
            Blake3Core.ReduceParents(cvs, groups * chunksPerGroup, groups, key, 0, Blake3Implementations.Best);
        }

        new ReadOnlySpan<byte>(cvs, groups * Blake3Core.OutLen).CopyTo(output);
    }

    private static byte[] ReadTail(SafeFileHandle file, Blake3GroupIndex index)
    {
        var tail = new byte[index.Length - index.TailOffset];
        Read(file, index.TailOffset, tail);
        return tail;
    }

    private static void Read(SafeFileHandle file, long offset, Span<byte> buffer)
    {
        if (!TryRead(file, offset, buffer))
        {
            throw new EndOfStreamException($"The file ended before offset {offset + buffer.Length}.");
        }
    }

    private static bool TryRead(SafeFileHandle file, long offset, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(file, buffer, offset);
            if (n == 0)
            {
                return false;
            }

            buffer = buffer[n..];
            offset += n;
        }

        return true;
    }
}
