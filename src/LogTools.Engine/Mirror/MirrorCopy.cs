using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LogTools.Engine.Hashing;
using Microsoft.Win32.SafeHandles;

namespace LogTools.Engine.Mirror;

/// <summary>
/// Copies host bytes into the pond and hashes them in the same pass, and hashes ranges of files without mapping
/// them (a host file may be truncated under us; a truncated mapping kills the process). On Linux the kernel copies
/// (copy_file_range, as cp does) while the copied blocks are read back from the pond's page cache and hashed;
/// elsewhere, or when the kernel cannot copy between the two files, each block is read once, then hashed while it is
/// written and the next block is read.
/// </summary>
internal sealed partial class MirrorCopy
{
    /// <summary>
    /// Test hook: milliseconds to sleep after every copied block and between the steps of a rotation, with
    /// 64 KiB blocks, so a crash test can kill a sync in the middle of a copy. Not for production use.
    /// </summary>
    public const string DelayVariable = "LOGTOOLS_TEST_SYNC_DELAY_MS";

    /// <summary>Large enough that the per-block hand-off costs nothing and the hash of one block runs on all cores.</summary>
    private const int BlockLen = 16 << 20;
    private const int SlowBlockLen = 64 << 10;

    /// <summary>sync_file_range: start writing the dirty pages of the range, wait for nothing.</summary>
    private const uint SyncFileRangeWrite = 2;


    /// <summary>Blocks the kernel may copy ahead of the hashing (kept small so they are still in the page cache when read back).</summary>
    private const int KernelCopyLead = 4;

    private const int EBadF = 9, EFBig = 27, ENoSpc = 28, ERoFs = 30, EXDev = 18, EInval = 22, ENoSys = 38, EOpNotSupp = 95, EDQuot = 122;

    private static bool writebackAvailable = true;

    /// <summary>Whether the kernel copies (Linux): cleared when the C library or kernel lacks copy_file_range, and by the benchmark to time the other copy.</summary>
    internal static bool KernelCopyEnabled { get; set; } = true;

    private readonly int delayMs;
    private readonly CancellationToken cancellation;

    private MirrorCopy(int delayMs, CancellationToken cancellation)
    {
        this.delayMs = delayMs;
        this.cancellation = cancellation;
    }

    /// <param name="cancellation">Checked before every block: the caller undoes the interrupted copy like a failed one.</param>
    public static MirrorCopy FromEnvironment(CancellationToken cancellation) =>
        new(int.TryParse(Environment.GetEnvironmentVariable(DelayVariable), out var ms) && ms > 0 ? ms : 0, cancellation);

    /// <summary>The test delay between the steps of an operation (none in production).</summary>
    public void Pause()
    {
        if (delayMs > 0)
        {
            Thread.Sleep(delayMs);
        }
    }

    /// <summary>Copies host bytes [offset, offset + count) to <paramref name="pond"/> (at <paramref name="pondPath"/>) at <paramref name="pondOffset"/>, feeding them to <paramref name="hasher"/>.</summary>
    /// <exception cref="EndOfStreamException">The host file ended early (truncated while read).</exception>
    /// <exception cref="LogToolsException">MirrorPondNotWritten: the pond refused the bytes (a full disk, a read-only or failing file system).</exception>
    public void Copy(SafeFileHandle host, long offset, long count, SafeFileHandle pond, string pondPath, long pondOffset, Blake3Hasher hasher, Action<long>? progress)
    {
        if (count > 0 && OperatingSystem.IsLinux() && KernelCopyEnabled && KernelCopy(host, offset, count, pond, pondPath, pondOffset, hasher, progress))
        {
            return;
        }

        int blockLen = delayMs > 0 ? SlowBlockLen : BlockLen;
        hasher.MaxDegreeOfParallelism = Environment.ProcessorCount;
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(blockLen), ArrayPool<byte>.Shared.Rent(blockLen)];
        var writeback = Task.CompletedTask;
        try
        {
            int Read(byte[] buffer, long done)
            {
                int want = (int)Math.Min(blockLen, count - done);
                int read = 0;
                while (read < want)
                {
                    int n = RandomAccess.Read(host, buffer.AsSpan(read, want - read), offset + done + read);
                    if (n == 0)
                    {
                        throw new EndOfStreamException($"The host file ended at {offset + done + read} bytes, before the {offset + count} bytes seen when the sync started.");
                    }

                    read += n;
                }

                return read;
            }

            long done = 0;
            int current = Read(buffers[0], 0);
            for (int i = 0; done < count; i ^= 1)
            {
                cancellation.ThrowIfCancellationRequested();
                byte[] block = buffers[i], other = buffers[i ^ 1];
                int length = current;
                long at = pondOffset + done, next = done + length;

                // One task writes this block and then reads the next while this thread hashes this block (on all
                // cores): a single hand-off per block, and no read racing the write for the second core.
                var io = Task.Run(() =>
                {
                    Write(pondPath, () => RandomAccess.Write(pond, block.AsSpan(0, length), at));
                    return Read(other, next);
                });
                hasher.Update(block.AsSpan(0, length));
                current = io.GetAwaiter().GetResult();

                // Chained off the pipeline because starting writeback can block while the disk queue is full.
                writeback = writeback.ContinueWith(_ => StartWriteback(pond, at, length), TaskScheduler.Default);
                done = next;
                progress?.Invoke(done);
                Pause();
            }
        }
        finally
        {
            writeback.GetAwaiter().GetResult();
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    /// <summary>
    /// The kernel copies block after block on another thread (no user-space buffer) and writes each out at once,
    /// while this thread reads the blocks copied so far back from the pond's page cache and hashes them: the digest is
    /// that of the bytes in the pond, and hashing overlaps the disk's work. False when the kernel cannot copy
    /// between these files (another file system, an old kernel or C library): nothing was written then.
    /// </summary>
    private bool KernelCopy(SafeFileHandle host, long offset, long count, SafeFileHandle pond, string pondPath, long pondOffset, Blake3Hasher hasher, Action<long>? progress)
    {
        int blockLen = delayMs > 0 ? SlowBlockLen : BlockLen;
        int first = (int)Math.Min(blockLen, count);
        if (!KernelCopyBlock(host, offset, pond, pondPath, pondOffset, first, offset + count))
        {
            return false;
        }

        StartWriteback(pond, pondOffset, first);
        // Of objects, not value tuples: a queue of a value type is framework code compiled at run time in every new process.
        using var copied = new BlockingCollection<CopiedBlock>(KernelCopyLead);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var copier = Task.Run(() =>
        {
            try
            {
                copied.Add(new CopiedBlock(0, first), stop.Token);
                for (long done = first; done < count;)
                {
                    int length = (int)Math.Min(blockLen, count - done);
                    if (!KernelCopyBlock(host, offset + done, pond, pondPath, pondOffset + done, length, offset + count))
                    {
                        throw new IOException($"The kernel stopped copying '{pondPath}' after {pondOffset + done} bytes.");
                    }

                    StartWriteback(pond, pondOffset + done, length);
                    copied.Add(new CopiedBlock(done, length), stop.Token);
                    done += length;
                }
            }
            finally
            {
                copied.CompleteAdding();
            }
        });

        byte[] buffer = ArrayPool<byte>.Shared.Rent(blockLen);
        try
        {
            // One thread hashes: a block is hashed faster than the kernel copies it, so the copier sets the pace.
            hasher.MaxDegreeOfParallelism = 1;
            using var readBack = File.OpenHandle(pondPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            foreach (var (done, length) in copied.GetConsumingEnumerable(stop.Token))
            {
                var block = buffer.AsSpan(0, length);
                if (RandomAccess.Read(readBack, block, pondOffset + done) is var read && read != length)
                {
                    throw new IOException($"The pond copy '{pondPath}' ended at {pondOffset + done + read} bytes while it was read back to be hashed; it was changed outside LogTools.");
                }

                hasher.Update(block);
                progress?.Invoke(done + length);
                Pause();
            }

            copier.GetAwaiter().GetResult();
            return true;
        }
        finally
        {
            // The copier must not touch the pond once the caller removes a failed copy.
            stop.Cancel();
            Task.WaitAny(copier);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies one block in the kernel; false when the kernel cannot copy between these files and nothing was copied.</summary>
    private static bool KernelCopyBlock(SafeFileHandle host, long from, SafeFileHandle pond, string pondPath, long to, int length, long end)
    {
        for (int done = 0; done < length;)
        {
            long inOffset = from + done, outOffset = to + done;
            nint n;
            try
            {
                n = CopyFileRange(host, ref inOffset, pond, ref outOffset, (nuint)(length - done), 0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                KernelCopyEnabled = false;
                return false;
            }

            if (n > 0)
            {
                done += (int)n;
                continue;
            }

            if (n == 0)
            {
                throw new EndOfStreamException($"The host file ended at {from + done} bytes, before the {end} bytes seen when the sync started.");
            }

            int error = Marshal.GetLastPInvokeError();
            if (done == 0 && error is EXDev or EInval or EOpNotSupp or ENoSys or EBadF)
            {
                KernelCopyEnabled &= error != ENoSys;
                return false;
            }

            // A full or read-only pond is the pond's failure; anything else (an I/O error) may be the host's.
            var failure = new IOException(Marshal.GetPInvokeErrorMessage(error));
            throw error is ENoSpc or EDQuot or EFBig or ERoFs ? PondNotWritten(pondPath, failure) : failure;
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle input, ref long inputOffset, SafeFileHandle output, ref long outputOffset, nuint length, uint flags);

    /// <summary>Opens a host file for reading, sharing everything (the service keeps writing, rotating and deleting).</summary>
    public static SafeFileHandle OpenRead(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// Starts writing a copied block to disk now (Linux), so the disk works while later blocks are copied and the
    /// fsync before the copy is recorded has little left to write (1 GiB: fsync 520 ms without, 40 ms with).
    /// Only a hint: durability still comes from that fsync, so failures (and other systems) are ignored.
    /// </summary>
    private static void StartWriteback(SafeFileHandle pond, long offset, long count)
    {
        if (!OperatingSystem.IsLinux() || !writebackAvailable)
        {
            return;
        }

        try
        {
            _ = SyncFileRange(pond, offset, count, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            writebackAvailable = false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    /// <summary>Makes the written bytes durable before the state that points at them is recorded.</summary>
    public static void FlushToDisk(SafeFileHandle file, string path) => Write(path, () =>
    {
        using var stream = new FileStream(new SafeFileHandle(file.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 0);
        stream.Flush(flushToDisk: true);
    });

    /// <summary>A write into the pond, whose failure is the pond's (not the host's): reported as MirrorPondNotWritten.</summary>
    private static void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (IOException ex)
        {
            throw PondNotWritten(path, ex);
        }
    }

    private static LogToolsException PondNotWritten(string path, IOException ex) => new(
        "MirrorPondNotWritten", ErrorKind.WriteError, path,
        $"The pond copy '{path}' could not be written ({ex.Message}). Nothing was recorded for it and its unrecorded bytes were removed; free space on the pond's file system and sync again.",
        ex);

    /// <summary>A block the kernel copied (offset from the copy's start, length). A class: see the copier's queue.</summary>
    private sealed record CopiedBlock(long Done, int Length);
}
