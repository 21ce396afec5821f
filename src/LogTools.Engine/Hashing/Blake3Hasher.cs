using System.Numerics;
using System.Text;

namespace LogTools.Engine.Hashing;

/// <summary>
/// Incremental BLAKE3 (hash, keyed hash and derive-key modes, with extended output). Feed bytes with
/// <see cref="Update(ReadOnlySpan{byte})"/> in pieces of any size, read the digest with
/// <see cref="Finalize(Span{byte})"/> at any time (finalising does not consume the state, so hashing can go on),
/// and persist the state with <see cref="ExportState"/> to continue later without re-reading.
/// Results are identical whatever the CPU, the SIMD width used or the number of threads.
/// Not thread-safe: one hasher serves one caller at a time.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
public sealed unsafe class Blake3Hasher
{
    private readonly Blake3Implementation _implementation;
    private readonly uint _flags;
    private Blake3Words8 _key;

    // The chunk being filled: its chaining value, counter, the last (possibly partial) block and how many blocks went before.
    private Blake3Words8 _chunkCv;
    private ulong _chunkCounter;
    private Blake3Block _block;
    private int _blockLen;
    private int _blocksCompressed;

    // Chaining values of completed subtrees, left to right; merged lazily because the last one may become the root.
    private Blake3CvStack _stack;
    private int _stackLen;

    internal Blake3Hasher(ReadOnlySpan<uint> key, uint flags, Blake3Implementation implementation)
    {
        if (!Blake3Implementations.IsSupported(implementation))
        {
            throw new PlatformNotSupportedException($"The {implementation} BLAKE3 implementation is not supported on this CPU.");
        }

        _implementation = implementation;
        _flags = flags;
        key.CopyTo(_key);
        key.CopyTo(_chunkCv);
    }

    /// <summary>Creates a hasher for the default (unkeyed) mode; its 32-byte output is what <c>b3sum</c> prints.</summary>
    public static Blake3Hasher Create() => new(Blake3Core.IV, 0, Blake3Implementations.Best);

    /// <summary>Creates a hasher for the keyed mode (a MAC / PRF).</summary>
    /// <param name="key">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes long.</exception>
    public static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key) => new(KeyWords(key), Blake3Core.KeyedHash, Blake3Implementations.Best);

    /// <summary>Creates a hasher for the derive-key mode: the input is key material, the output a key bound to <paramref name="context"/>.</summary>
    /// <param name="context">A hard-coded, globally unique, application-specific string (hashed as UTF-8).</param>
    public static Blake3Hasher CreateDeriveKey(string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(DeriveKeyWords(context), Blake3Core.DeriveKeyMaterial, Blake3Implementations.Best);
    }

    /// <summary>One-shot default-mode hash: the 32-byte digest of <paramref name="input"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> input)
    {
        var digest = new byte[Blake3Core.OutLen];
        Hash(input, digest);
        return digest;
    }

    /// <summary>
    /// One-shot default-mode hash into <paramref name="output"/> (any length; 32 bytes is the standard digest).
    /// An input of one chunk (up to 1 KiB) with a 32-byte output is compressed directly, without a hasher: a fresh
    /// hasher for each of a million short Merkle leaves cost more than hashing them.
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length > Blake3Core.ChunkLen || output.Length != Blake3Core.OutLen)
        {
            Create().Update(input).Finalize(output);
            return;
        }

        uint* key = stackalloc uint[8];
        Blake3Core.IV.CopyTo(new Span<uint>(key, 8));
        fixed (byte* p = input)
        fixed (byte* o = output)
        {
            Blake3Core.ChunkCv(p, input.Length, 0, key, 0, root: true, o);
        }
    }

    /// <summary>Number of bytes hashed so far.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Threads used for a single large <see cref="Update(ReadOnlySpan{byte})"/> call (work is split into
    /// 1 MiB subtrees, so inputs below 2 MiB always run on the calling thread). Default 1.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = 1;

    internal Blake3Implementation Implementation => _implementation;

    internal uint Flags => _flags;

    internal ReadOnlySpan<uint> Key => _key;

    internal static uint[] KeyWords(ReadOnlySpan<byte> key)
    {
        if (key.Length != Blake3Core.KeyLen)
        {
            throw new ArgumentException($"A BLAKE3 key must be exactly {Blake3Core.KeyLen} bytes; got {key.Length}.", nameof(key));
        }

        var words = new uint[8];
        fixed (byte* k = key)
        fixed (uint* w = words)
        {
            Blake3Core.LoadCv(k, w);
        }

        return words;
    }

    internal static uint[] DeriveKeyWords(string context)
    {
        var contextKey = new byte[Blake3Core.KeyLen];
        new Blake3Hasher(Blake3Core.IV, Blake3Core.DeriveKeyContext, Blake3Implementations.Best)
            .Update(Encoding.UTF8.GetBytes(context)).Finalize(contextKey);
        return KeyWords(contextKey);
    }

    /// <summary>Adds <paramref name="input"/> to the hashed message.</summary>
    /// <returns>This hasher, for chaining.</returns>
    public Blake3Hasher Update(ReadOnlySpan<byte> input)
    {
        fixed (byte* p = input)
        {
            Update(p, input.Length);
        }

        return this;
    }

    internal void Update(byte* input, long length)
    {
        if (length == 0)
        {
            return;
        }

        Length += length;
        int chunkBytes = ChunkBytes;
        if (chunkBytes > 0)
        {
            int take = (int)Math.Min(Blake3Core.ChunkLen - chunkBytes, length);
            ChunkUpdate(input, take);
            input += take;
            length -= take;
            if (length == 0)
            {
                return;
            }

            // More input follows, so the full chunk is not the root: commit it.
            byte* chunkCv = stackalloc byte[Blake3Core.OutLen];
            ChunkChainingValue(chunkCv);
            PushCv(chunkCv, _chunkCounter);

            ResetChunk(_chunkCounter + 1);
        }

        // Whole subtrees straight from the input: the largest power of two that fits and is aligned with the
        // chunks already hashed. At least one byte stays behind for the chunk state unless a subtree of two
        // or more chunks ends the input, whose children are pushed so that the root is still computed lazily.
        byte* cvs = stackalloc byte[2 * Blake3Core.OutLen];
        fixed (uint* key = &_key[0])
        {
            while (length > Blake3Core.ChunkLen)
            {
                long size = (long)BitOperations.RoundUpToPowerOf2((ulong)length + 1) / 2;
                while (((_chunkCounter * Blake3Core.ChunkLen) & (ulong)(size - 1)) != 0)
                {
                    size /= 2;
                }

                ulong chunks = (ulong)size / Blake3Core.ChunkLen;
                if (chunks == 1)
                {
                    Blake3Core.SubtreeCvs(input, size, _chunkCounter, key, _flags, cvs, 1, _implementation, 1);
                    PushCv(cvs, _chunkCounter);
                }
                else
                {
                    Blake3Core.SubtreeCvs(input, size, _chunkCounter, key, _flags, cvs, 2, _implementation, MaxDegreeOfParallelism);
                    PushCv(cvs, _chunkCounter);
                    PushCv(cvs + Blake3Core.OutLen, _chunkCounter + chunks / 2);
                }

                input += size;
                length -= size;
                ResetChunk(_chunkCounter + chunks);
            }
        }

        if (length > 0)
        {
            // The stack now ends before a chunk that is not the root, so pending merges are final.
            ChunkUpdate(input, (int)length);
            MergeStack(_chunkCounter);
        }
    }

    /// <summary>
    /// Appends the chaining value of a complete subtree of <paramref name="chunks"/> chunks that the caller
    /// verified or computed elsewhere (group index), as if its bytes had been hashed. Needs a chunk boundary
    /// aligned to the subtree, and more input (or another subtree) must follow before finalising.
    /// </summary>
    internal void AppendSubtree(ReadOnlySpan<byte> cv, ulong chunks)
    {
        if (ChunkBytes != 0 || _chunkCounter % chunks != 0)
        {
            throw new InvalidOperationException("A subtree can only be appended at a boundary aligned to its size.");
        }

        fixed (byte* p = cv)
        {
            PushCv(p, _chunkCounter);
        }

        ResetChunk(_chunkCounter + chunks);
        Length += (long)chunks * Blake3Core.ChunkLen;
    }

    /// <summary>Writes the first <c>output.Length</c> bytes of the output (32 is the standard digest; any length is allowed).</summary>
    /// <remarks>Does not change the state: more input can be added afterwards.</remarks>
    public void Finalize(Span<byte> output) => Finalize(output, 0);

    /// <summary>Writes the extended output starting at byte <paramref name="outputOffset"/> (seeking in the XOF stream).</summary>
    /// <remarks>Does not change the state: more input can be added afterwards.</remarks>
    public void Finalize(Span<byte> output, ulong outputOffset)
    {
        // The root node: the lone chunk, or the parents from the right edge of the tree merged down the stack.
        uint* cv = stackalloc uint[8];
        byte* block = stackalloc byte[Blake3Core.BlockLen];
        uint blockLen;
        ulong counter;
        uint flags;
        fixed (uint* key = &_key[0])
        fixed (byte* stack = &_stack[0])
        {
            int remaining = _stackLen;
            if (ChunkBytes > 0 || remaining == 0)
            {
                ChunkOutput(cv, block, out blockLen, out counter, out flags);
            }
            else
            {
                remaining -= 2;
                SetParent(cv, block, key, stack + remaining * Blake3Core.OutLen, out blockLen, out counter, out flags);
            }

            for (; remaining > 0; remaining--)
            {
                Blake3Core.Compress(cv, block, blockLen, counter, flags, cv);
                Blake3Core.StoreCv(cv, block + Blake3Core.OutLen);
                new ReadOnlySpan<byte>(stack + (remaining - 1) * Blake3Core.OutLen, Blake3Core.OutLen).CopyTo(new Span<byte>(block, Blake3Core.OutLen));
                SetParent(cv, block, key, block, out blockLen, out counter, out flags);
            }
        }

        uint* words = stackalloc uint[16];
        byte* bytes = stackalloc byte[Blake3Core.BlockLen];
        ulong blockIndex = outputOffset / Blake3Core.BlockLen;
        int skip = (int)(outputOffset % Blake3Core.BlockLen);
        while (!output.IsEmpty)
        {
            Blake3Core.Compress(cv, block, blockLen, blockIndex++, flags | Blake3Core.Root, words, wide: true);
            Blake3Core.StoreCv(words, bytes);
            Blake3Core.StoreCv(words + 8, bytes + Blake3Core.OutLen);
            int n = Math.Min(output.Length, Blake3Core.BlockLen - skip);
            new ReadOnlySpan<byte>(bytes + skip, n).CopyTo(output);
            output = output[n..];
            skip = 0;
        }
    }

    private void SetParent(uint* cv, byte* block, uint* key, byte* children, out uint blockLen, out ulong counter, out uint flags)
    {
        new ReadOnlySpan<uint>(key, 8).CopyTo(new Span<uint>(cv, 8));
        new ReadOnlySpan<byte>(children, Blake3Core.BlockLen).CopyTo(new Span<byte>(block, Blake3Core.BlockLen));
        (blockLen, counter, flags) = (Blake3Core.BlockLen, 0, _flags | Blake3Core.Parent);
    }

    /// <summary>Captures the state so that hashing can resume later (in another process) without re-reading the bytes hashed so far.</summary>
    public Blake3ResumeState ExportState()
    {
        return new Blake3ResumeState(
            _flags, _key, Length, _chunkCv, ((ReadOnlySpan<byte>)_block)[.._blockLen], _blocksCompressed,
            ((ReadOnlySpan<byte>)_stack)[..(_stackLen * Blake3Core.OutLen)]);
    }

    /// <summary>Re-creates a hasher from an exported state; hashing more bytes then gives the hash of the whole message.</summary>
    public static Blake3Hasher Resume(Blake3ResumeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var hasher = new Blake3Hasher(state.KeyWords, state.Flags, Blake3Implementations.Best);
        state.ChunkCv.CopyTo(hasher._chunkCv);
        state.Block.CopyTo(hasher._block);
        hasher._blockLen = state.Block.Length;
        hasher._blocksCompressed = state.BlocksCompressed;
        hasher._chunkCounter = state.ChunkCounter;
        state.Stack.CopyTo(hasher._stack);
        hasher._stackLen = state.Stack.Length / Blake3Core.OutLen;
        hasher.Length = state.Length;
        return hasher;
    }

    private int ChunkBytes => _blocksCompressed * Blake3Core.BlockLen + _blockLen;

    private void ResetChunk(ulong counter)
    {
        _key[..].CopyTo(_chunkCv);
        _chunkCounter = counter;
        _blockLen = 0;
        _blocksCompressed = 0;
    }

    private void ChunkUpdate(byte* input, int length)
    {
        fixed (uint* cv = &_chunkCv[0])
        fixed (byte* block = &_block[0])
        {
            while (length > 0)
            {
                if (_blockLen == Blake3Core.BlockLen)
                {
                    Blake3Core.Compress(cv, block, Blake3Core.BlockLen, _chunkCounter, _flags | StartFlag, cv);
                    _blocksCompressed++;
                    _blockLen = 0;
                }

                int take = Math.Min(Blake3Core.BlockLen - _blockLen, length);
                new ReadOnlySpan<byte>(input, take).CopyTo(new Span<byte>(block + _blockLen, take));
                _blockLen += take;
                input += take;
                length -= take;
            }
        }
    }

    private uint StartFlag => _blocksCompressed == 0 ? Blake3Core.ChunkStart : 0;

    /// <summary>The current chunk's last compression inputs, with the block zero-padded.</summary>
    private void ChunkOutput(uint* cv, byte* block, out uint blockLen, out ulong counter, out uint flags)
    {
        _chunkCv[..].CopyTo(new Span<uint>(cv, 8));
        var padded = new Span<byte>(block, Blake3Core.BlockLen);
        ((ReadOnlySpan<byte>)_block)[.._blockLen].CopyTo(padded);
        padded[_blockLen..].Clear();
        blockLen = (uint)_blockLen;
        counter = _chunkCounter;
        flags = _flags | StartFlag | Blake3Core.ChunkEnd;
    }

    private void ChunkChainingValue(byte* output)
    {
        uint* cv = stackalloc uint[8];
        byte* block = stackalloc byte[Blake3Core.BlockLen];
        ChunkOutput(cv, block, out var blockLen, out var counter, out var flags);
        Blake3Core.Compress(cv, block, blockLen, counter, flags, cv);
        Blake3Core.StoreCv(cv, output);
    }

    /// <summary>Merges completed pairs until the stack holds one entry per set bit of <paramref name="chunks"/>, the chunks it covers.</summary>
    private void MergeStack(ulong chunks)
    {
        fixed (uint* key = &_key[0])
        fixed (byte* stack = &_stack[0])
        {
            for (int target = BitOperations.PopCount(chunks); _stackLen > target; _stackLen--)
            {
                byte* pair = stack + (_stackLen - 2) * Blake3Core.OutLen;
                Blake3Core.ParentCv(pair, key, _flags, false, pair);
            }
        }
    }

    /// <summary>Pushes the CV of a subtree starting at chunk <paramref name="firstChunk"/>, first merging completed pairs (as many as that position shows).</summary>
    private void PushCv(byte* cv, ulong firstChunk)
    {
        MergeStack(firstChunk);
        fixed (byte* stack = &_stack[0])
        {
            new ReadOnlySpan<byte>(cv, Blake3Core.OutLen).CopyTo(new Span<byte>(stack + _stackLen * Blake3Core.OutLen, Blake3Core.OutLen));
            _stackLen++;
        }
    }
}
