namespace LogTools.Engine.Ports;

/// <summary>What Invoke-PortBuild did with a port.</summary>
public enum PortBuildStatus
{
    /// <summary>Built, and its checksum and package recorded.</summary>
    Success,

    /// <summary>A phase failed (or its package was missing); the indexes were left as they were.</summary>
    Failed,

    /// <summary>Unchanged since its last successful build (checksum match); counts as built for its dependents.</summary>
    Skipped,

    /// <summary>Not built: a dependency failed, or was ignored or not built itself.</summary>
    DependencyFailed,

    /// <summary>Not built: its port.yml says ignore.</summary>
    Ignored,
}
