using System.Text;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;

namespace LogTools.Engine.Mirror;

/// <summary>What the store knows about mirrored files: listing, verification against the pond and the host, and b3sum manifests.</summary>
public static class MirrorCatalog
{
    /// <summary>Every recorded file, by source and name (the active file last in each source).</summary>
    public static IReadOnlyList<MirrorFileInfo> Files(LogStore store) =>
        store.Database.Read(c => MirrorState.Files(c, null, pond => MirrorSync.PondFolder(store.Path, store, pond)));

    /// <summary>Test-LogStore's check of the Mirror area: every pond copy that is missing or no longer has its recorded digest.</summary>
    internal static IEnumerable<StoreProblem> PondProblems(LogStore store, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var file in Files(store))
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(file.PondPath);
            var check = Check(file, host: false, cancellationToken: cancellationToken);
            if (check.Status is MirrorCheckStatus.PondMissing or MirrorCheckStatus.PondMismatch)
            {
                yield return new StoreProblem
                {
                    Kind = check.Status == MirrorCheckStatus.PondMissing ? StoreProblemKind.PondMissing : StoreProblemKind.PondMismatch,
                    Path = check.PondPath,
                    Message = check.Message ?? check.Status.ToString(),
                };
            }
        }
    }

    /// <summary>Re-hashes the pond copy of <paramref name="file"/> (and, with <paramref name="host"/>, the host file) against the recorded digest.</summary>
    /// <param name="cancellationToken">Checked between the blocks hashed.</param>
    public static MirrorCheck Check(MirrorFileInfo file, bool host, Action<MirrorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string? pondDigest = null, hostDigest = null, message = null;
        var status = MirrorCheckStatus.Ok;
        if (!File.Exists(file.PondPath))
        {
            status = MirrorCheckStatus.PondMissing;
            message = "The pond copy is missing.";
        }
        else
        {
            using var pond = MirrorCopy.OpenRead(file.PondPath);
            var length = RandomAccess.GetLength(pond);
            pondDigest = length >= file.Length ? Hash(pond, file, file.Length, progress, cancellationToken) : null;
            if (pondDigest != file.Blake3 || length != file.Length)
            {
                status = MirrorCheckStatus.PondMismatch;
                message = length != file.Length
                    ? $"The pond copy has {length} bytes; {file.Length} are recorded."
                    : "The pond copy does not hash to the recorded BLAKE3.";
            }
        }

        if (host && file.HostPath is not null && status == MirrorCheckStatus.Ok)
        {
            if (!File.Exists(file.HostPath))
            {
                status = MirrorCheckStatus.HostMissing;
                message = "The host file is gone; the pond copy is intact.";
            }
            else
            {
                using var hostFile = MirrorCopy.OpenRead(file.HostPath);
                var hostLength = RandomAccess.GetLength(hostFile);
                // The active file keeps growing: compare its mirrored prefix. An archive must still be what was mirrored.
                var expected = file.Kind == MirrorFileKind.Active ? file.Blake3 : file.HostBlake3 ?? file.Blake3;
                var length = file.Kind == MirrorFileKind.Active ? file.Length : hostLength;
                hostDigest = hostLength >= length ? Hash(hostFile, file, length, progress, cancellationToken) : null;
                if (hostDigest != expected || (file.Kind != MirrorFileKind.Active && hostLength != file.HostLength))
                {
                    status = MirrorCheckStatus.HostMismatch;
                    message = file.Kind == MirrorFileKind.Active
                        ? "The host active file no longer starts with the mirrored bytes (rotated or rewritten since the last sync)."
                        : "The host file changed after it was mirrored.";
                }
            }
        }

        return new MirrorCheck
        {
            Source = file.Source, Name = file.Name, Kind = file.Kind, Status = status, Length = file.Length, RecordedBlake3 = file.Blake3,
            PondBlake3 = pondDigest, HostBlake3 = hostDigest, PondPath = file.PondPath, HostPath = file.HostPath, Message = message,
        };
    }

    /// <summary>
    /// Writes a manifest of the recorded digests in b3sum's format (<c>b3sum --check</c> accepts it), with absolute
    /// pond paths; names with a backslash or a newline are escaped as b3sum does. Written through <see cref="AtomicFile"/>.
    /// </summary>
    public static void WriteManifest(string path, IEnumerable<MirrorFileInfo> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
        {
            var name = file.PondPath;
            var escape = name.Contains('\\') || name.Contains('\n');
            name = escape ? name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) : name;
            text.Append(escape ? "\\" : string.Empty).Append(file.Blake3).Append("  ").Append(name).Append('\n');
        }

        try
        {
            AtomicFile.Write(path, stream =>
            {
                stream.Write(new UTF8Encoding(false).GetBytes(text.ToString()));
                return path;
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogToolsException("MirrorManifestNotWritten", ErrorKind.WriteError, path, $"The manifest '{path}' could not be written ({ex.Message}).", ex);
        }
    }

    private static string Hash(Microsoft.Win32.SafeHandles.SafeFileHandle file, MirrorFileInfo info, long length, Action<MirrorProgress>? progress, CancellationToken cancellationToken)
    {
        var hasher = Hashing.Blake3Hasher.Create();
        hasher.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Hashing.Blake3File.Update(hasher, file, 0, length, new Hashing.Blake3Options
        {
            UseMemoryMapping = false,
            CancellationToken = cancellationToken,
            Progress = progress is null ? null : done => progress(new MirrorProgress(info.Source, info.Name, done, length)),
        });
        return Blake3File.Digest(hasher);
    }
}
