namespace LogTools.Engine.Mirror;

/// <summary>What a mirrored file is in the pond.</summary>
public enum MirrorFileKind
{
    /// <summary>An immutable archive from the host (or the former active file, completed after a rotation).</summary>
    Archived,

    /// <summary>The copy of the host's append-only active file.</summary>
    Active,

    /// <summary>An earlier active copy kept under a distinct name after a truncation that no archive explains.</summary>
    Preserved,
}
