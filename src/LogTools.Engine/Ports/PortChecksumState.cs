namespace LogTools.Engine.Ports;

/// <summary>A port's content against its last successful build.</summary>
public enum PortChecksumState
{
    /// <summary>Never built successfully.</summary>
    New,

    /// <summary>Unchanged: the next build skips it.</summary>
    UpToDate,

    /// <summary>Changed (or a dependency changed): the next build rebuilds it.</summary>
    Changed,
}
