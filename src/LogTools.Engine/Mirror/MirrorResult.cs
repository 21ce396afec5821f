namespace LogTools.Engine.Mirror;

/// <summary>One file action of a sync (or, when <see cref="Planned"/>, of a -WhatIf plan).</summary>
public sealed class MirrorResult : IRunOutput
{
    /// <summary>The phase of a sync run's per-file records (Get-IngestLog -Phase mirror).</summary>
    internal const string RunPhase = "mirror";

    public string Source { get; init; } = string.Empty;

    /// <summary>The pond file's name.</summary>
    public string Name { get; init; } = string.Empty;

    public MirrorAction Action { get; init; }

    public MirrorFileKind Kind { get; init; }

    /// <summary>The file's status after the action.</summary>
    public MirrorFileStatus Status { get; init; }

    /// <summary>Bytes read from the host and written to the pond by this action.</summary>
    public long BytesCopied { get; init; }

    /// <summary>The pond file's length after the action.</summary>
    public long Length { get; init; }

    /// <summary>BLAKE3 of the pond file after the action; null when planned and not yet known.</summary>
    public string? Blake3 { get; init; }

    /// <summary>
    /// Bytes a rotation could not account for: bytes of the former active file that its archive lacks
    /// (kept in the pond) or, for a truncation with no archive, the mirrored bytes set aside.
    /// </summary>
    public long UnaccountedBytes { get; init; }

    public string? Message { get; init; }

    /// <summary>True for a -WhatIf plan: nothing was written.</summary>
    public bool Planned { get; init; }

    public string? HostPath { get; init; }

    public string PondPath { get; init; } = string.Empty;

    /// <summary>The host file's length as last seen; null when the sync did not see it.</summary>
    internal long? HostLength { get; init; }

    /// <summary>True when the sync re-hashed the file (-Verify) instead of trusting its size and time.</summary>
    internal bool Verified { get; init; }

    /// <summary>The Sync-LogSource run that did this (Get-LogRun -Kind sync); null for a plan.</summary>
    public string? RunId { get; set; }

    /// <summary>
    /// The file's record in its run (phase mirror), named by its pond-relative path: processed when bytes reached the
    /// pond or a -Verify re-hash confirmed them, error for a damaged pond copy, skipped when there was nothing to do.
    /// </summary>
    internal RunFileRecord ToFileRecord(string pondPath) => new(RunPhase, $"{pondPath}/{Name}", Action switch
    {
        MirrorAction.Copied or MirrorAction.Appended or MirrorAction.Rotated or MirrorAction.Preserved => "processed",
        MirrorAction.Unchanged when Verified => "processed",
        MirrorAction.Damaged => "error",
        _ => "skipped",
    })
    {
        SizeRaw = Action == MirrorAction.Gone ? null : HostLength,
        SizeStored = Length,
        ContentHash = Blake3,
        ErrorType = Action == MirrorAction.Damaged ? "MirrorPondDamaged" : null,
        ErrorMessage = Action == MirrorAction.Damaged ? Message : null,
    };

    /// <summary>A mirror.file event with the file, its action and digest; the summary counts files, bytes and each action.</summary>
    public RunOutputEvent ToRunEvent() => new(
        "mirror.file",
        new Dictionary<string, object?>
        {
            ["source"] = Source, ["name"] = Name, ["path"] = HostPath, ["pond_path"] = PondPath, ["action"] = Action.ToString(),
            ["status"] = Status.ToString(), ["bytes"] = BytesCopied, ["length"] = Length, ["blake3"] = Blake3, ["message"] = Message,
        },
        new Dictionary<string, long> { ["input_file_count"] = 1, ["bytes_copied"] = BytesCopied, [Action.ToString().ToLowerInvariant()] = 1 });
}
