using System.Buffers;
using System.IO.MemoryMappedFiles;
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

    /// <summary>Feeds bytes [offset, offset + length) of <paramref name="file"/> to <paramref name="hasher"/>.</summary>
    internal static void Update(Blake3Hasher hasher, SafeFileHandle file, long offset, long length, Blake3Options options)
    {
        if (length >= MapThreshold && options.UseMemoryMapping)
        {
            UpdateMapped(hasher, file, offset, length, options);
            return;
        }

        int bufferLen = (int)Math.Min(length, ReadBufferLen * (long)Math.Max(1, hasher.MaxDegreeOfParallelism));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferLen, 1));
        try
        {
            for (long done = 0; done < length;)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int want = (int)Math.Min(bufferLen, length - done);
                int read = 0;
                while (read < want)
                {
                    int n = RandomAccess.Read(file, buffer.AsSpan(read, want - read), offset + done + read);
                    if (n == 0)
                    {
                        throw new EndOfStreamException($"The file ended at {offset + done + read} bytes, before the {offset + length} bytes to hash.");
                    }

                    read += n;
                }

                hasher.Update(buffer.AsSpan(0, read));
                done += read;
                options.Progress?.Invoke(done);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
