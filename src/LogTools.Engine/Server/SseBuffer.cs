using System.Buffers;

namespace LogTools.Engine.Server;

/// <summary>
/// SSE frames being built in one pooled buffer, so that many lines go to the response in one write instead of a few
/// small writes each. A <see cref="Stream"/> only because <see cref="Runs.RunEventLine"/> hands its bytes to one.
/// </summary>
internal sealed class SseBuffer : Stream
{
    /// <summary>What a replay gathers before it writes to the response.</summary>
    public const int Batch = 1 << 16;

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(Batch + 4096);
    private int count;

    public int Count => count;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => count;

    public override long Position
    {
        get => count;
        set => throw new NotSupportedException();
    }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, count);

    public override void Write(ReadOnlySpan<byte> bytes)
    {
        if (count + bytes.Length > buffer.Length)
        {
            // A line longer than the batch: grow once to hold it; the pool takes the old buffer back.
            var larger = ArrayPool<byte>.Shared.Rent(count + bytes.Length);
            buffer.AsSpan(0, count).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        bytes.CopyTo(buffer.AsSpan(count));
        count += bytes.Length;
    }

    public override void Write(byte[] bytes, int offset, int length) => Write(bytes.AsSpan(offset, length));

    /// <summary>Writes what was built to <paramref name="output"/> in one write, and starts again empty.</summary>
    public void MoveTo(Stream output)
    {
        output.Write(buffer, 0, count);
        Clear();
    }

    public void Clear() => count = 0;

    public override void Flush()
    {
        // Nothing is held elsewhere: MoveTo writes the frames out.
    }

    public override int Read(byte[] bytes, int offset, int length) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }

        base.Dispose(disposing);
    }
}
