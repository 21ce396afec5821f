using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The BLAKE3 primitives: constants, the scalar compression function, and the tree routines that
/// hash many chunks or parents at once (dispatching to the SIMD kernel in batches of 16, 8 or 4).
/// Everything works on raw pointers so that the hasher, file hashing, group index and bao code share it.
/// </summary>
[SkipLocalsInit]
internal static unsafe class Blake3Core
{
    public const int BlockLen = 64;
    public const int ChunkLen = 1024;
    public const int KeyLen = 32;
    public const int OutLen = 32;
    public const int MaxDepth = 55;

    /// <summary>Chunks hashed by one task or one level-by-level pass: 1 MiB, whose 1024 chaining values fit in 32 KiB of stack.</summary>
    public const int PieceLen = 1 << 20;

    public const uint ChunkStart = 1;
    public const uint ChunkEnd = 2;
    public const uint Parent = 4;
    public const uint Root = 8;
    public const uint KeyedHash = 16;
    public const uint DeriveKeyContext = 32;
    public const uint DeriveKeyMaterial = 64;

    public static ReadOnlySpan<uint> IV =>
    [
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    ];

    /// <summary>Message word order of each of the 7 rounds (the spec's permutation applied 0..6 times), so rounds index instead of permuting.</summary>
    public static ReadOnlySpan<byte> Schedule =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8,
        3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1,
        10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6,
        12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4,
        9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7,
        11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint x, uint y)
    {
        a += b + x;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 12);
        a += b + y;
        d = BitOperations.RotateRight(d ^ a, 8);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 7);
    }

    /// <summary>
    /// The compression function. Writes 8 words (the new chaining value) or, when <paramref name="wide"/>,
    /// all 16 (extended output). <paramref name="output"/> may alias <paramref name="cv"/> or <paramref name="block"/>:
    /// all input is read before anything is written.
    /// </summary>
    public static void Compress(uint* cv, byte* block, uint blockLen, ulong counter, uint flags, uint* output, bool wide = false)
    {
        uint* m = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(block + 4 * i, 4));
        }

        uint h0 = cv[0], h1 = cv[1], h2 = cv[2], h3 = cv[3], h4 = cv[4], h5 = cv[5], h6 = cv[6], h7 = cv[7];
        uint v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
        uint v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        uint v12 = (uint)counter, v13 = (uint)(counter >> 32), v14 = blockLen, v15 = flags;
        ReadOnlySpan<byte> schedule = Schedule;
        for (int r = 0; r < 7; r++)
        {
            ReadOnlySpan<byte> s = schedule.Slice(16 * r, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        output[0] = v0 ^ v8; output[1] = v1 ^ v9; output[2] = v2 ^ v10; output[3] = v3 ^ v11;
        output[4] = v4 ^ v12; output[5] = v5 ^ v13; output[6] = v6 ^ v14; output[7] = v7 ^ v15;
        if (wide)
        {
            output[8] = v8 ^ h0; output[9] = v9 ^ h1; output[10] = v10 ^ h2; output[11] = v11 ^ h3;
            output[12] = v12 ^ h4; output[13] = v13 ^ h5; output[14] = v14 ^ h6; output[15] = v15 ^ h7;
        }
    }

    /// <summary>Writes 8 words as 32 little-endian bytes.</summary>
    public static void StoreCv(uint* words, byte* bytes)
    {
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(bytes + 4 * i, 4), words[i]);
        }
    }

    /// <summary>Reads 32 little-endian bytes as 8 words.</summary>
    public static void LoadCv(byte* bytes, uint* words)
    {
        for (int i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(bytes + 4 * i, 4));
        }
    }

    /// <summary>
    /// Chaining value of one chunk of 0..1024 bytes; when <paramref name="root"/>, the 32-byte root hash instead
    /// (the message is that single chunk).
    /// </summary>
    public static void ChunkCv(byte* input, int length, ulong counter, uint* key, uint flags, bool root, byte* output)
    {
        uint* cv = stackalloc uint[8];
        byte* last = stackalloc byte[BlockLen];
        new ReadOnlySpan<uint>(key, 8).CopyTo(new Span<uint>(cv, 8));
        int blocks = Math.Max(1, (length + BlockLen - 1) / BlockLen);
        for (int b = 0; b < blocks - 1; b++)
        {
            Compress(cv, input + b * BlockLen, BlockLen, counter, flags | (b == 0 ? ChunkStart : 0), cv);
        }

        int lastLen = length - (blocks - 1) * BlockLen;
        var padded = new Span<byte>(last, BlockLen);
        new ReadOnlySpan<byte>(input + (blocks - 1) * BlockLen, lastLen).CopyTo(padded);
        padded[lastLen..].Clear();
        uint lastFlags = flags | (blocks == 1 ? ChunkStart : 0) | ChunkEnd | (root ? Root : 0);
        Compress(cv, last, (uint)lastLen, root ? 0 : counter, lastFlags, cv);
        StoreCv(cv, output);
    }

    /// <summary>Chaining value of a parent node (or, when <paramref name="root"/>, the 32-byte root hash).</summary>
    public static void ParentCv(byte* children, uint* key, uint flags, bool root, byte* output)
    {
        uint* words = stackalloc uint[8];
        Compress(key, children, BlockLen, 0, flags | Parent | (root ? Root : 0), words);
        StoreCv(words, output);
    }

    /// <summary>
    /// Hashes <paramref name="count"/> inputs laid out <paramref name="stride"/> bytes apart, each of
    /// <paramref name="blocks"/> full blocks, writing one 32-byte chaining value per input to
    /// <paramref name="output"/>. Chunks pass blocks = 16 and <paramref name="incrementCounter"/>; parents pass
    /// blocks = 1 and the Parent flag. Output may overlap input when the output of input i never lies
    /// past input i (parent levels reduced in place).
    /// </summary>
    public static void HashMany(
        byte* input, nint stride, int count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output, Blake3Implementation implementation)
    {
        if (implementation >= Blake3Implementation.Vector512)
        {
            Batch<Blake3Lanes512, System.Runtime.Intrinsics.Vector512<uint>>(ref input, stride, ref count, blocks, key, ref counter, incrementCounter, flags, flagsStart, flagsEnd, ref output);
        }

        if (implementation >= Blake3Implementation.Vector256)
        {
            Batch<Blake3Lanes256, System.Runtime.Intrinsics.Vector256<uint>>(ref input, stride, ref count, blocks, key, ref counter, incrementCounter, flags, flagsStart, flagsEnd, ref output);
        }

        if (implementation >= Blake3Implementation.Vector128)
        {
            Batch<Blake3Lanes128, System.Runtime.Intrinsics.Vector128<uint>>(ref input, stride, ref count, blocks, key, ref counter, incrementCounter, flags, flagsStart, flagsEnd, ref output);
        }

        uint* cv = stackalloc uint[8];
        for (; count > 0; count--)
        {
            new ReadOnlySpan<uint>(key, 8).CopyTo(new Span<uint>(cv, 8));
            for (int b = 0; b < blocks; b++)
            {
                uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
                Compress(cv, input + b * BlockLen, BlockLen, counter, blockFlags, cv);
            }

            StoreCv(cv, output);
            input += stride;
            output += OutLen;
            if (incrementCounter)
            {
                counter++;
            }
        }
    }

    private static void Batch<TLanes, TVector>(
        ref byte* input, nint stride, ref int count, int blocks, uint* key, ref ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, ref byte* output)
        where TLanes : struct, IBlake3Lanes<TVector>
        where TVector : unmanaged
    {
        for (; count >= TLanes.Count; count -= TLanes.Count)
        {
            Blake3Simd.HashLanes<TLanes, TVector>(input, stride, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, output);
            input += stride * TLanes.Count;
            output += OutLen * TLanes.Count;
            if (incrementCounter)
            {
                counter += (ulong)TLanes.Count;
            }
        }
    }

    /// <summary>Reduces <paramref name="count"/> chaining values (a power of two) in place, level by level, until <paramref name="target"/> remain.</summary>
    public static void ReduceParents(byte* cvs, int count, int target, uint* key, uint flags, Blake3Implementation implementation)
    {
        for (; count > target; count /= 2)
        {
            HashMany(cvs, 2 * OutLen, count / 2, 1, key, 0, false, flags | Parent, 0, 0, cvs, implementation);
        }
    }

    /// <summary>
    /// Chaining values of a complete, non-root subtree of <paramref name="length"/> bytes (a power-of-two number
    /// of full chunks starting at chunk <paramref name="counter"/>): the subtree's own CV when
    /// <paramref name="outputs"/> is 1, or its two children's CVs when it is 2 (the parent is then merged
    /// lazily, because it may turn out to be the root). Subtrees above 1 MiB are split into 1 MiB pieces
    /// hashed on up to <paramref name="threads"/> threads.
    /// </summary>
    public static void SubtreeCvs(
        byte* input, long length, ulong counter, uint* key, uint flags, byte* output, int outputs,
        Blake3Implementation implementation, int threads)
    {
        if (length <= PieceLen)
        {
            int chunks = (int)(length / ChunkLen);
            byte* cvs = stackalloc byte[chunks * OutLen];
            HashMany(input, ChunkLen, chunks, ChunkLen / BlockLen, key, counter, true, flags, ChunkStart, ChunkEnd, cvs, implementation);
            ReduceParents(cvs, chunks, outputs, key, flags, implementation);
            new ReadOnlySpan<byte>(cvs, outputs * OutLen).CopyTo(new Span<byte>(output, outputs * OutLen));
            return;
        }

        int pieces = (int)(length / PieceLen);
        byte* pieceCvs = stackalloc byte[pieces * OutLen];
        if (threads > 1)
        {
            nint inputAddress = (nint)input, cvsAddress = (nint)pieceCvs, keyAddress = (nint)key;
            Parallel.For(0, pieces, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                SubtreeCvs((byte*)inputAddress + (long)i * PieceLen, PieceLen, counter + (ulong)i * (PieceLen / ChunkLen),
                    (uint*)keyAddress, flags, (byte*)cvsAddress + i * OutLen, 1, implementation, 1));
        }
        else
        {
            for (int i = 0; i < pieces; i++)
            {
                SubtreeCvs(input + (long)i * PieceLen, PieceLen, counter + (ulong)i * (PieceLen / ChunkLen), key, flags, pieceCvs + i * OutLen, 1, implementation, 1);
            }
        }

        ReduceParents(pieceCvs, pieces, outputs, key, flags, implementation);
        new ReadOnlySpan<byte>(pieceCvs, outputs * OutLen).CopyTo(new Span<byte>(output, outputs * OutLen));
    }
}
