using System.Globalization;
using System.Text;
using LogTools.Engine.Runs;

namespace LogTools.Engine.Server;

/// <summary>One run event as an SSE frame (<c>id: sequence</c>, <c>data: the NDJSON line</c>), encoded once for every client.</summary>
internal sealed class SseFrame(long sequence, bool completes, byte[] bytes)
{
    public long Sequence { get; } = sequence;

    /// <summary>True for run.completed: the stream ends after it.</summary>
    public bool Completes { get; } = completes;

    public byte[] Bytes { get; } = bytes;

    /// <summary>The frame of <paramref name="line"/>, built in <paramref name="scratch"/> (left empty) and copied out at its size.</summary>
    public static SseFrame Of(RunEventLine line, SseBuffer scratch)
    {
        Append(scratch, line);
        var frame = new SseFrame(line.Sequence, line.Type == RunEventTypes.Completed, scratch.Written.ToArray());
        scratch.Clear();
        return frame;
    }

    /// <summary>Adds <paramref name="line"/> as a frame to <paramref name="output"/>: <c>id: N\ndata: line\n\n</c>.</summary>
    public static void Append(SseBuffer output, RunEventLine line)
    {
        Span<byte> head = stackalloc byte[32];
        "id: "u8.CopyTo(head);
        line.Sequence.TryFormat(head[4..], out var digits, provider: CultureInfo.InvariantCulture);
        "\ndata: "u8.CopyTo(head[(4 + digits)..]);
        output.Write(head[..(4 + digits + 7)]);
        line.CopyTo(output, "\n\n"u8);
    }

    /// <summary>A control frame with a name (end, reconnect) and a JSON payload; it has no id, so it does not move Last-Event-ID.</summary>
    public static byte[] Control(string name, string json) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {json}\n\n");
}
