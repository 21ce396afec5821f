namespace LogTools.Engine.Store;

/// <summary>What a backend's error means for the store, whichever database engine reported it.</summary>
internal enum StoreFailure
{
    /// <summary>Another connection holds a lock: the unit of work is retried.</summary>
    Busy,

    /// <summary>The connection to the server broke in the middle of a unit, which the server rolled back whole: it is retried.</summary>
    Dropped,

    /// <summary>The database file is damaged: writes stop until Test-LogStore finds it sound.</summary>
    Corrupt,

    DiskFull,

    NotWritable,

    IOError,

    /// <summary>The database server cannot be reached (nothing listens, a name that does not resolve, a timeout).</summary>
    Unreachable,

    /// <summary>The server refused the login.</summary>
    AccessDenied,

    /// <summary>The server has no such database.</summary>
    Missing,
}
