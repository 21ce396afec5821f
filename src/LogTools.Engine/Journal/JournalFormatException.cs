namespace LogTools.Engine.Journal;

/// <summary>
/// Thrown by <see cref="JournalWriter"/> when a record cannot be written as one journal line: it is empty, not valid
/// UTF-8, contains a line break, or is not one well-formed JSON value. Nothing is written when it is thrown.
/// </summary>
public sealed class JournalFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the defect.</summary>
    public JournalFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
