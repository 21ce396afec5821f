namespace LogTools.Engine.Store;

/// <summary>
/// A running hash of a file's bytes, with which Backup-LogStore checks each copied file against the bytes it read.
/// Store names no algorithm: the engine supplies one (BLAKE3, see EngineAreas) through <see cref="StoreBackup.Hasher"/>.
/// </summary>
internal interface IBackupHasher
{
    void Append(ReadOnlySpan<byte> bytes);

    /// <summary>The hash of everything appended, as text to compare.</summary>
    string Finish();
}
