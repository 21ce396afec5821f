namespace LogTools.Engine.Mirror;

/// <summary>How a new archive relates to the mirrored prefix of the active file.</summary>
internal enum MirrorMatch
{
    /// <summary>Unrelated content.</summary>
    None,

    /// <summary>The archive starts with the whole mirrored prefix: it is the former active file.</summary>
    Extends,

    /// <summary>The archive is a shorter prefix of the mirrored copy: a copytruncate copy taken before bytes the pond already holds.</summary>
    PondLonger,
}
