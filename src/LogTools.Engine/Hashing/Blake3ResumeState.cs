using System.Buffers.Binary;
using System.Numerics;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The persisted state of a <see cref="Blake3Hasher"/> after some prefix of a message, so that hashing a
/// growing file can continue from the last length without re-reading it (see docs/blake3-state.md).
/// </summary>
/// <remarks>
/// <para>Binary format, version 1, all integers little-endian, 149 + 32·n bytes:</para>
/// <list type="table">
/// <item><term>0, 1 byte</term><description>format version, 1.</description></item>
/// <item><term>1, 1 byte</term><description>mode flags: 0x00 hash, 0x10 keyed hash, 0x40 derive-key (key material).</description></item>
/// <item><term>2, 8 bytes</term><description>length: bytes hashed so far (u64).</description></item>
/// <item><term>10, 1 byte</term><description>n: chaining values on the stack (0..55).</description></item>
/// <item><term>11, 1 byte</term><description>blocks of the current chunk already compressed (0..15).</description></item>
/// <item><term>12, 1 byte</term><description>bytes in the current block (0..64).</description></item>
/// <item><term>13, 32 bytes</term><description>key words (8 × u32): the IV for hash mode, the key for keyed mode
/// (so protect the state like the key), the context key for derive-key mode.</description></item>
/// <item><term>45, 32 bytes</term><description>chaining value of the current chunk (8 × u32).</description></item>
/// <item><term>77, 64 bytes</term><description>the current block, zero after its length.</description></item>
/// <item><term>141, 32·n bytes</term><description>the stack of subtree chaining values, leftmost (largest) first.</description></item>
/// <item><term>141 + 32·n, 8 bytes</term><description>check: the first 8 bytes of the BLAKE3 hash of all preceding bytes.</description></item>
/// </list>
/// <para>The current chunk's counter is not stored: it is (length − bytes in chunk) / 1024.</para>
/// </remarks>
public sealed class Blake3ResumeState
{
    /// <summary>The format version written by <see cref="ToBytes"/>.</summary>
    public const byte CurrentVersion = 1;

    private const int HeaderLen = 141;
    private const int CheckLen = 8;

    private readonly uint[] _key;
    private readonly uint[] _chunkCv;
    private readonly byte[] _block;
    private readonly byte[] _stack;

    internal Blake3ResumeState(uint flags, ReadOnlySpan<uint> key, long length, ReadOnlySpan<uint> chunkCv, ReadOnlySpan<byte> block, int blocksCompressed, ReadOnlySpan<byte> stack)
    {
        Flags = flags;
        _key = key.ToArray();
        Length = length;
        _chunkCv = chunkCv.ToArray();
        _block = block.ToArray();
        BlocksCompressed = blocksCompressed;
        _stack = stack.ToArray();
    }

    /// <summary>Number of bytes hashed when the state was captured.</summary>
    public long Length { get; }

    internal uint Flags { get; }

    internal int BlocksCompressed { get; }

    internal ReadOnlySpan<uint> KeyWords => _key;

    internal ReadOnlySpan<uint> ChunkCv => _chunkCv;

    internal ReadOnlySpan<byte> Block => _block;

    internal ReadOnlySpan<byte> Stack => _stack;

    internal ulong ChunkCounter => (ulong)(Length - BlocksCompressed * Blake3Core.BlockLen - _block.Length) / Blake3Core.ChunkLen;

    /// <summary>Serialises the state in the versioned binary format described on this type.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderLen + _stack.Length + CheckLen];
        bytes[0] = CurrentVersion;
        bytes[1] = (byte)Flags;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2), Length);
        bytes[10] = (byte)(_stack.Length / Blake3Core.OutLen);
        bytes[11] = (byte)BlocksCompressed;
        bytes[12] = (byte)_block.Length;
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(13 + 4 * i), _key[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(45 + 4 * i), _chunkCv[i]);
        }

        _block.CopyTo(bytes.AsSpan(77));
        _stack.CopyTo(bytes.AsSpan(HeaderLen));
        Check(bytes.AsSpan(0, bytes.Length - CheckLen)).CopyTo(bytes.AsSpan(bytes.Length - CheckLen));
        return bytes;
    }

    /// <summary>Reads a state written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are truncated, corrupt, inconsistent or of an unknown version.</exception>
    public static Blake3ResumeState FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLen + CheckLen)
        {
            throw Invalid($"{bytes.Length} bytes is shorter than the smallest state ({HeaderLen + CheckLen} bytes)");
        }

        if (bytes[0] != CurrentVersion)
        {
            throw Invalid($"format version {bytes[0]} is not supported (expected {CurrentVersion})");
        }

        int depth = bytes[10];
        if (bytes.Length != HeaderLen + depth * Blake3Core.OutLen + CheckLen)
        {
            throw Invalid($"length {bytes.Length} does not match a stack of {depth} chaining values");
        }

        if (!Check(bytes[..^CheckLen]).SequenceEqual(bytes[^CheckLen..]))
        {
            throw Invalid("the check bytes do not match (the state is corrupt)");
        }

        uint flags = bytes[1];
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes[2..]);
        int blocksCompressed = bytes[11];
        int blockLen = bytes[12];
        var key = new uint[8];
        var chunkCv = new uint[8];
        for (int i = 0; i < 8; i++)
        {
            key[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(13 + 4 * i)..]);
            chunkCv[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(45 + 4 * i)..]);
        }

        // Reject anything the hasher itself could never have produced.
        int chunkBytes = blocksCompressed * Blake3Core.BlockLen + blockLen;
        ulong chunks = (ulong)(length - chunkBytes) / Blake3Core.ChunkLen;
        bool consistent =
            flags is 0 or Blake3Core.KeyedHash or Blake3Core.DeriveKeyMaterial
            && (flags != 0 || key.AsSpan().SequenceEqual(Blake3Core.IV))
            && length >= chunkBytes && (length - chunkBytes) % Blake3Core.ChunkLen == 0
            && blockLen <= Blake3Core.BlockLen && blocksCompressed < Blake3Core.ChunkLen / Blake3Core.BlockLen
            && (blocksCompressed == 0 || blockLen > 0)
            && (chunkBytes > 0 ? depth == BitOperations.PopCount(chunks)
                : length == 0 ? depth == 0 : depth >= 2 && depth >= BitOperations.PopCount(chunks) && depth <= Blake3Core.MaxDepth)
            && bytes.Slice(77 + blockLen, Blake3Core.BlockLen - blockLen).IndexOfAnyExcept((byte)0) < 0;
        if (!consistent)
        {
            throw Invalid("the fields are inconsistent");
        }

        return new Blake3ResumeState(flags, key, length, chunkCv, bytes.Slice(77, blockLen), blocksCompressed, bytes.Slice(HeaderLen, depth * Blake3Core.OutLen));
    }

    private static byte[] Check(ReadOnlySpan<byte> content) => Blake3Hasher.Hash(content)[..CheckLen];

    private static InvalidDataException Invalid(string reason) => new($"Invalid BLAKE3 resume state: {reason}.");
}
