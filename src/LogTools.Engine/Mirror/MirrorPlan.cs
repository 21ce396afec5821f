namespace LogTools.Engine.Mirror;

/// <summary>What a planned (-WhatIf) file action would change, in the words of a What if: line.</summary>
public static class MirrorPlan
{
    /// <summary>One sentence in the conditional for a planned action that would change the pond or the record; null for one that changes nothing.</summary>
    public static string? Describe(MirrorResult planned) => planned.Action switch
    {
        MirrorAction.Copied => $"Would copy the new {(planned.Kind == MirrorFileKind.Active ? "active file" : "archive")} '{planned.HostPath}' ({planned.BytesCopied} bytes) to '{planned.PondPath}'.",
        MirrorAction.Appended => $"Would append the {planned.BytesCopied} new bytes of '{planned.HostPath}' to '{planned.PondPath}'.",
        MirrorAction.Rotated => $"Would record that the active file was rotated to '{planned.HostPath}', keeping the mirrored bytes as '{planned.PondPath}' and copying {planned.BytesCopied} more bytes.",
        MirrorAction.Preserved => $"Would set the mirrored active copy aside as '{planned.PondPath}' and start the active copy afresh: {planned.Message}",
        MirrorAction.Changed => $"Would record that '{planned.HostPath}' changed on the host (the pond keeps its copy).",
        _ => null,
    };
}
