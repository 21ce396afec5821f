using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace LogTools.Engine.Hashing;

/// <summary>Hashes files and streams: memory-mapped and multi-threaded when large, one buffered read when small.</summary>
public static unsafe class Blake3File
{
    /// <summary>Files from this size are memory-mapped (below it, mapping costs more than the copy it saves).</summary>
    private const long MapThreshold = 1 << 20;

    /// <summary>Work between progress reports and cancellation checks; a power of two so every block is a whole subtree.</summary>
    private const int BlockLen = 32 << 20;

    private const int ReadBufferLen = 1 << 20;

    private static readonly Blake3Options Unmapped = new() { UseMemoryMapping = false };

    /// <summary>Hashes the file at <paramref name="path"/> (opened with read/write/delete sharing, as logs are written while read).</summary>
    public static Blake3FileHash Hash(string path, Blake3Options? options = null)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Hash(file, -1, options);
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes of an open file (all of it when -1), from offset 0.</summary>
    /// <exception cref="EndOfStreamException">The file is shorter than <paramref name="length"/>.</exception>
    public static Blake3FileHash Hash(SafeFileHandle file, long length = -1, Blake3Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= Blake3Options.Default;
        var hasher = options.CreateHasher();
        length = length < 0 ? RandomAccess.GetLength(file) : length;
        Update(hasher, file, 0, length, options);
        return Finish(hasher, options);
    }

    /// <summary>Hashes <paramref name="length"/> bytes read from <paramref name="stream"/> (to its end when -1).</summary>
    /// <exception cref="EndOfStreamException">The stream ends before <paramref name="length"/> bytes.</exception>
    public static Blake3FileHash Hash(Stream stream, long length = -1, Blake3Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= Blake3Options.Default;
        var hasher = options.CreateHasher();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferLen * Math.Max(1, hasher.MaxDegreeOfParallelism));
        try
        {
            while (length < 0 || hasher.Length < length)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int want = (int)(length < 0 ? buffer.Length : Math.Min(buffer.Length, length - hasher.Length));
                int read = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                hasher.Update(buffer.AsSpan(0, read));
                options.Progress?.Invoke(hasher.Length);
                if (read < want)
                {
                    if (length >= 0)
                    {
                        throw new EndOfStreamException($"The stream ended after {hasher.Length} bytes, before the {length} bytes to hash.");
                    }

                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Finish(hasher, options);
    }

    /// <summary>BLAKE3 of bytes [offset, offset + count) of a file, read (not mapped: the file may shrink meanwhile), as lower-case hex.</summary>
    public static string HashRange(SafeFileHandle file, long offset, long count)
    {
        var hasher = Blake3Hasher.Create();
        hasher.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Update(hasher, file, offset, count, Unmapped);
        return Digest(hasher);
    }

    /// <summary>The hasher's 32-byte digest as lower-case hex, as b3sum prints it.</summary>
    public static string Digest(Blake3Hasher hasher)
    {
        Span<byte> digest = stackalloc byte[Blake3Core.OutLen];
        hasher.Finalize(digest);
        return HexDigest.Of(digest);
    }

    /// <summary>Feeds bytes [offset, offset + length) of <paramref name="file"/> to <paramref name="hasher"/>.</summary>
    internal static void Update(Blake3Hasher hasher, SafeFileHandle file, long offset, long length, Blake3Options options)
    {
        if (length >= MapThreshold && options.UseMemoryMapping)
        {
            UpdateMapped(hasher, file, offset, length, options);
            return;
        }

        long done = hasher.MaxDegreeOfParallelism > 1 ? UpdatePieces(hasher, file, offset, length, options) : 0;
        int bufferLen = (int)Math.Min(length - done, ReadBufferLen * (long)Math.Max(1, hasher.MaxDegreeOfParallelism));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferLen, 1));
        try
        {
            while (done < length)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int want = (int)Math.Min(bufferLen, length - done);
                ReadExactly(file, buffer.AsSpan(0, want), offset + done, offset + length);
                hasher.Update(buffer.AsSpan(0, want));
                done += want;
                options.Progress?.Invoke(done);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Multi-threaded plain reads: each thread reads whole 1 MiB pieces into its own buffer and hashes them there,
    /// so the copy out of the page cache runs on every core too and the bytes are hashed while still in that
    /// core's cache (reading on one thread and then hashing on all left the other cores idle during the copy).
    /// Stops before the last piece, which may be the root that only the hasher can finish, and when the hasher
    /// is not at a piece boundary. Returns the bytes consumed.
    /// </summary>
    private static long UpdatePieces(Blake3Hasher hasher, SafeFileHandle file, long offset, long length, Blake3Options options)
    {
        // Below two whole pieces plus a byte there is nothing to share out: return before allocating (small files are common).
        if (length <= 2L * Blake3Core.PieceLen || hasher.Length % Blake3Core.PieceLen != 0)
        {
            return 0;
        }

        uint[] key = hasher.Key.ToArray();
        var cvs = new byte[BlockLen / Blake3Core.PieceLen * Blake3Core.OutLen];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = hasher.MaxDegreeOfParallelism, CancellationToken = options.CancellationToken };
        long done = 0;
        for (int pieces; (pieces = (int)Math.Min(BlockLen, length - done - 1) / Blake3Core.PieceLen) > 1;)
        {
            long start = offset + done;
            ulong firstChunk = (ulong)(hasher.Length / Blake3Core.ChunkLen);
            try
            {
                Parallel.For(
                    0, pieces, parallel,
                    () => ArrayPool<byte>.Shared.Rent(Blake3Core.PieceLen),
                    (i, _, buffer) =>
                    {
                        ReadExactly(file, buffer.AsSpan(0, Blake3Core.PieceLen), start + (long)i * Blake3Core.PieceLen, offset + length);
                        fixed (byte* input = buffer)
                        fixed (uint* k = key)
                        fixed (byte* cv = &cvs[i * Blake3Core.OutLen])
                        {
                            ulong counter = firstChunk + (ulong)i * (Blake3Core.PieceLen / Blake3Core.ChunkLen);
                            Blake3Core.SubtreeCvs(input, Blake3Core.PieceLen, counter, k, hasher.Flags, cv, 1, hasher.Implementation, 1);
                        }

                        return buffer;
                    },
                    buffer => ArrayPool<byte>.Shared.Return(buffer));
            }
            catch (AggregateException e)
            {
                // Callers expect the read's own exception (EndOfStreamException for a file that shrank), not a wrapper.
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }

            for (int i = 0; i < pieces; i++)
            {
                hasher.AppendSubtree(cvs.AsSpan(i * Blake3Core.OutLen, Blake3Core.OutLen), Blake3Core.PieceLen / Blake3Core.ChunkLen);
            }

            done += (long)pieces * Blake3Core.PieceLen;
            options.Progress?.Invoke(done);
        }

        return done;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="position"/>; <paramref name="end"/> is only for the message when the file is shorter.</summary>
    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long position, long end)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = RandomAccess.Read(file, buffer[read..], position + read);
            if (n == 0)
            {
                throw new EndOfStreamException($"The file ended at {position + read} bytes, before the {end} bytes to hash.");
            }

            read += n;
        }
    }

    private static void UpdateMapped(Blake3Hasher hasher, SafeFileHandle file, long offset, long length, Blake3Options options)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < offset + length)
        {
            throw new EndOfStreamException($"The file has {fileLength} bytes, fewer than the {offset + length} bytes to hash.");
        }

        using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        using var view = map.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            start += view.PointerOffset;
            for (long done = 0; done < length;)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                long n = Math.Min(BlockLen, length - done);
                PageCache.Populate(start + done, n);
                hasher.Update(start + done, n);
                done += n;
                options.Progress?.Invoke(done);
            }
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static Blake3FileHash Finish(Blake3Hasher hasher, Blake3Options options)
    {
        var digest = new byte[options.OutputLength];
        hasher.Finalize(digest);
        return new Blake3FileHash(digest, hasher.Length);
    }
}
