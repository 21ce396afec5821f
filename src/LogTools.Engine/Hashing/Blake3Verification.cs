namespace LogTools.Engine.Hashing;

/// <summary>The outcome of verifying content against a group index or a bao outboard.</summary>
public sealed class Blake3Verification
{
    internal static Blake3Verification Valid { get; } = new(-1, null);

    internal Blake3Verification(long failedOffset, string? reason)
    {
        FailedOffset = failedOffset;
        Reason = reason;
    }

    /// <summary>True when everything checked matched.</summary>
    public bool IsValid => FailedOffset < 0;

    /// <summary>Content offset of the first chunk, group or subtree that failed; -1 when valid.</summary>
    public long FailedOffset { get; }

    /// <summary>Why verification failed, for messages; null when valid.</summary>
    public string? Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => IsValid ? "valid" : $"invalid at offset {FailedOffset}: {Reason}";
}
