namespace LogTools.Engine.Mirror;

/// <summary>One file action of a sync (or, when <see cref="Planned"/>, of a -WhatIf plan).</summary>
public sealed class MirrorResult : IRunOutput
{
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

    /// <summary>The Sync-LogSource run that did this (Get-LogRun -Kind sync); null for a plan.</summary>
    public string? RunId { get; set; }

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
