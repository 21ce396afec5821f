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

    public static SseFrame Of(RunEventLine line)
    {
        using var buffer = new MemoryStream();
        Append(buffer, line);
        return new SseFrame(line.Sequence, line.Type == RunEventTypes.Completed, buffer.ToArray());
    }

    /// <summary>Writes <paramref name="line"/> as a frame to <paramref name="output"/>.</summary>
    public static void Append(Stream output, RunEventLine line)
    {
        output.Write(Encoding.ASCII.GetBytes("id: " + line.Sequence.ToString(CultureInfo.InvariantCulture) + "\ndata: "));
        line.CopyTo(output, "\n\n"u8);
    }

    /// <summary>A control frame with a name (end, reconnect) and a JSON payload; it has no id, so it does not move Last-Event-ID.</summary>
    public static byte[] Control(string name, string json) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {json}\n\n");
}
