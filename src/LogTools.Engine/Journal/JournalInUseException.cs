namespace LogTools.Engine.Journal;

/// <summary>
/// Thrown by <see cref="JournalWriter.Open"/> when another writer (in this or another process) already has the
/// journal open: two writers on one file would interleave or tear each other's lines.
/// </summary>
public sealed class JournalInUseException : IOException
{
    /// <summary>Creates the exception for the journal at <paramref name="path"/>.</summary>
    public JournalInUseException(string path, Exception? innerException = null)
        : base($"The journal '{path}' is already open for writing by another writer (this or another process). "
            + "Only one writer may append to a journal at a time; close the other writer first.", innerException)
    {
        Path = path;
    }

    /// <summary>The full path of the journal.</summary>
    public string Path { get; }
}
