namespace LogTools.Engine.Hashing;

/// <summary>How <see cref="Blake3File"/> hashes: mode, output length, threads, progress and cancellation.</summary>
public sealed class Blake3Options
{
    /// <summary>Threads for large inputs (work is split into 1 MiB subtrees). Default: one per processor.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called on the calling thread with the number of bytes hashed so far, after every block of work (a few MiB).</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>Checked between blocks of work.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Memory-map large files instead of reading them. Off by default: on Unix, touching a mapped page past
    /// the end of a file truncated meanwhile kills the process (SIGBUS), and plain reads (each thread reading
    /// its own pieces) measured faster here than a mapping's first-touch page faults.
    /// </summary>
    public bool UseMemoryMapping { get; init; }

    /// <summary>32-byte key for the keyed mode; null for the default mode.</summary>
    public byte[]? Key { get; init; }

    /// <summary>Context string for the derive-key mode; null for the default mode.</summary>
    public string? DeriveKeyContext { get; init; }

    /// <summary>Digest length in bytes (extended output beyond 32). Default 32.</summary>
    public int OutputLength { get; init; } = 32;

    internal static Blake3Options Default { get; } = new();

    internal Blake3Hasher CreateHasher()
    {
        if (Key != null && DeriveKeyContext != null)
        {
            throw new ArgumentException("Set either Key or DeriveKeyContext, not both.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(OutputLength);
        var hasher = Key != null ? Blake3Hasher.CreateKeyed(Key)
            : DeriveKeyContext != null ? Blake3Hasher.CreateDeriveKey(DeriveKeyContext)
            : Blake3Hasher.Create();
        hasher.MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism);
        return hasher;
    }
}
