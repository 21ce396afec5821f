namespace LogTools.Engine.Store;

/// <summary>How the store folder was chosen, in order of precedence.</summary>
public enum StoreSource
{
    /// <summary>The -Store parameter of the cmdlet.</summary>
    Parameter,

    /// <summary>Set-LogStore for the current PowerShell session.</summary>
    Session,

    /// <summary>The LOGTOOLS_STORE environment variable.</summary>
    Environment,

    /// <summary>The first of the user's candidate folders whose parent exists.</summary>
    Candidate,

    /// <summary>The per-user data folder.</summary>
    Default,
}
