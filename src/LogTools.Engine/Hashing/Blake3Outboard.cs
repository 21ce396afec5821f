using System.Buffers.Binary;
using System.Numerics;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The bao outboard encoding (original bao, chunk size 1024): an 8-byte little-endian content length, then
/// every parent node of the BLAKE3 tree (left CV || right CV, 64 bytes) in pre-order. The content itself is
/// kept elsewhere; the root of the tree is the ordinary BLAKE3 hash of the content.
/// </summary>
public static unsafe class Blake3Outboard
{
    private const int HeaderLen = 8;
    private const int ParentLen = 2 * Blake3Core.OutLen;

    /// <summary>Size of the outboard for content of <paramref name="contentLength"/> bytes.</summary>
    public static long GetLength(long contentLength) => HeaderLen + ParentLen * (Chunks(contentLength) - 1);

    /// <summary>
    /// Writes the outboard of <paramref name="length"/> bytes of <paramref name="content"/> (the rest of a seekable
    /// stream when -1) to <paramref name="outboard"/>, and returns the root hash. The outboard (1/16 of the content)
    /// is built in memory, as parents are known only after their subtrees while pre-order writes them first.
    /// </summary>
    public static byte[] Encode(Stream content, Stream outboard, long length = -1)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(outboard);
        length = length < 0 ? content.Length - content.Position : length;
        var encoded = new byte[GetLength(length)];
        BinaryPrimitives.WriteUInt64LittleEndian(encoded, (ulong)length);
        var root = new byte[Blake3Core.OutLen];
        var reader = new ChunkReader(content, length);
        long slot = 0;
        fixed (byte* parentsPinned = encoded.AsSpan(HeaderLen))
        fixed (byte* rootPtr = root)
        {
            byte* parents = parentsPinned;
            if (!Node(0, Chunks(length), true, rootPtr))
            {
                throw new EndOfStreamException($"The content ended before its {length} bytes.");
            }

            bool Node(long first, long chunks, bool isRoot, byte* cv)
            {
                if (chunks == 1)
                {
                    return reader.TryChunkCv(first, isRoot, cv);
                }

                long left = LeftChunks(chunks);
                byte* parent = parents + slot++ * ParentLen;
                if (!Node(first, left, false, parent) || !Node(first + left, chunks - left, false, parent + Blake3Core.OutLen))
                {
                    return false;
                }

                reader.ParentCv(parent, isRoot, cv);
                return true;
            }
        }

        outboard.Write(encoded);
        return root;
    }

    /// <summary>
    /// Verifies <paramref name="content"/> against an outboard and the expected root hash, reading both once,
    /// front to back; reports the first chunk or subtree (in pre-order) that does not match.
    /// </summary>
    public static Blake3Verification Verify(Stream content, Stream outboard, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(outboard);
        if (rootHash.Length != Blake3Core.OutLen)
        {
            throw new ArgumentException($"The root hash must be {Blake3Core.OutLen} bytes; got {rootHash.Length}.", nameof(rootHash));
        }

        Span<byte> header = stackalloc byte[HeaderLen];
        if (outboard.ReadAtLeast(header, HeaderLen, throwOnEndOfStream: false) < HeaderLen)
        {
            return new Blake3Verification(0, "the outboard is shorter than its 8-byte header");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (length > long.MaxValue || content.CanSeek && (ulong)(content.Length - content.Position) != length)
        {
            return new Blake3Verification(0, $"the outboard's content length {length} does not match the content");
        }

        var reader = new ChunkReader(content, (long)length);
        var parent = new byte[ParentLen];
        byte* cv = stackalloc byte[Blake3Core.OutLen];
        fixed (byte* expectedRoot = rootHash)
        fixed (byte* nodePinned = parent)
        {
            byte* node = nodePinned;
            return Node(0, Chunks((long)length), expectedRoot, true);

            Blake3Verification Node(long first, long chunks, byte* expected, bool isRoot)
            {
                long offset = first * Blake3Core.ChunkLen;
                if (chunks == 1)
                {
                    return !reader.TryChunkCv(first, isRoot, cv) ? new Blake3Verification(offset, "the content ends early")
                        : !Equal(cv, expected) ? new Blake3Verification(offset, $"chunk {first} does not match")
                        : Blake3Verification.Valid;
                }

                byte* children = stackalloc byte[ParentLen];
                if (outboard.ReadAtLeast(parent, ParentLen, throwOnEndOfStream: false) < ParentLen)
                {
                    return new Blake3Verification(offset, "the outboard ends early");
                }

                reader.ParentCv(node, isRoot, cv);
                if (!Equal(cv, expected))
                {
                    return new Blake3Verification(offset, $"the parent of chunks {first}..{first + chunks - 1} does not match");
                }

                new ReadOnlySpan<byte>(node, ParentLen).CopyTo(new Span<byte>(children, ParentLen));
                long left = LeftChunks(chunks);
                var result = Node(first, left, children, false);
                return result.IsValid ? Node(first + left, chunks - left, children + Blake3Core.OutLen, false) : result;
            }
        }
    }

    private static bool Equal(byte* a, byte* b) => new ReadOnlySpan<byte>(a, Blake3Core.OutLen).SequenceEqual(new ReadOnlySpan<byte>(b, Blake3Core.OutLen));

    private static long Chunks(long length) => Math.Max(1, (length + Blake3Core.ChunkLen - 1) / Blake3Core.ChunkLen);

    /// <summary>Chunks in the left subtree: the largest power of two strictly below <paramref name="chunks"/>, as in BLAKE3.</summary>
    private static long LeftChunks(long chunks) => (long)BitOperations.RoundUpToPowerOf2((ulong)chunks) / 2;

    /// <summary>Reads content front to back and hands out chunk CVs, hashing 64 chunks at a time with SIMD.</summary>
    private sealed class ChunkReader(Stream content, long length)
    {
        private const int WindowChunks = 64;
        private readonly byte[] _buffer = new byte[WindowChunks * Blake3Core.ChunkLen];
        private readonly byte[] _cvs = new byte[WindowChunks * Blake3Core.OutLen];
        private long _windowFirst;
        private int _windowChunks;

        public bool TryChunkCv(long chunk, bool root, byte* cv)
        {
            if (chunk >= _windowFirst + _windowChunks && !Load(chunk))
            {
                return false;
            }

            fixed (byte* source = _cvs)
            fixed (byte* bytes = _buffer)
            fixed (uint* key = Blake3Core.IV)
            {
                if (root)
                {
                    Blake3Core.ChunkCv(bytes, (int)length, 0, key, 0, true, cv);
                }
                else
                {
                    new ReadOnlySpan<byte>(source + (chunk - _windowFirst) * Blake3Core.OutLen, Blake3Core.OutLen).CopyTo(new Span<byte>(cv, Blake3Core.OutLen));
                }
            }

            return true;
        }

        public void ParentCv(byte* children, bool root, byte* cv)
        {
            fixed (uint* key = Blake3Core.IV)
            {
                Blake3Core.ParentCv(children, key, 0, root, cv);
            }
        }

        private bool Load(long first)
        {
            int bytes = (int)Math.Min(_buffer.Length, length - first * Blake3Core.ChunkLen);
            if (content.ReadAtLeast(_buffer.AsSpan(0, bytes), bytes, throwOnEndOfStream: false) < bytes)
            {
                return false;
            }

            _windowFirst = first;
            _windowChunks = Math.Max(1, (bytes + Blake3Core.ChunkLen - 1) / Blake3Core.ChunkLen);
            int full = bytes / Blake3Core.ChunkLen;
            fixed (byte* input = _buffer)
            fixed (byte* cvs = _cvs)
            fixed (uint* key = Blake3Core.IV)
            {
                Blake3Core.HashMany(input, Blake3Core.ChunkLen, full, Blake3Core.ChunkLen / Blake3Core.BlockLen, key, (ulong)first, true,
                    0, Blake3Core.ChunkStart, Blake3Core.ChunkEnd, cvs, Blake3Implementations.Best);
                if (full < _windowChunks)
                {
                    Blake3Core.ChunkCv(input + full * Blake3Core.ChunkLen, bytes - full * Blake3Core.ChunkLen, (ulong)(first + full), key, 0, false, cvs + full * Blake3Core.OutLen);
                }
            }

            return true;
        }
    }
}
