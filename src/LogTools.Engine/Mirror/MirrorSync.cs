using System.Globalization;
using System.IO.Compression;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;
using Microsoft.Win32.SafeHandles;

namespace LogTools.Engine.Mirror;

/// <summary>
/// One sync of one log source into the store's pond. Every step is ordered so that a process killed at
/// any instant leaves a recoverable state: new archives are written to a temporary name, flushed, renamed
/// and only then recorded; active appends are written and flushed before the new length and hash state
/// are recorded (unrecorded bytes are cut off by the next sync); pond renames are recorded as intents first
/// and finished or undone by the next sync.
/// </summary>
public sealed class MirrorSync
{
    private static readonly string EmptyDigest = HexDigest.Of(Blake3Hasher.Hash([]));

    private readonly Func<LogStore>? create;
    private readonly MirrorSourceConfig config;
    private readonly MirrorSyncOptions options;
    private readonly IEngineSink sink;
    private readonly string pondFolder;
    private readonly MirrorCopy copy;
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private Dictionary<string, MirrorFileInfo> files = new(StringComparer.Ordinal);
    private LogStore? store;

    private MirrorSync(string storePath, LogStore? store, Func<LogStore>? create, MirrorSourceConfig config, MirrorSyncOptions options, IEngineSink sink)
    {
        this.store = store;
        this.create = create;
        this.config = config;
        this.options = options;
        this.sink = sink;
        copy = MirrorCopy.FromEnvironment(sink.CancellationToken);
        pondFolder = PondFolder(storePath, store, config.PondPath);
    }

    private string Source => config.Name;

    /// <summary>The store to write to, created by <see cref="create"/> only when the sync has something to write.</summary>
    private LogStore Writable => store ??= create?.Invoke() ?? throw new InvalidOperationException("A plan never writes.");

    /// <summary>
    /// Syncs (or with <see cref="MirrorSyncOptions.WhatIf"/>, plans) one source, yielding one result per
    /// file action as it completes; warnings, per-file errors, progress and recovery steps go to <paramref name="sink"/>.
    /// <paramref name="store"/> is the existing store, or null when there is none yet: a plan starts from an empty
    /// state, and a sync creates the store with <paramref name="create"/> only once it found a host file to mirror.
    /// </summary>
    public static IEnumerable<MirrorResult> Run(string storePath, LogStore? store, MirrorSourceConfig config, MirrorSyncOptions options, IEngineSink sink, Func<LogStore>? create = null)
    {
        if (store is null && create is null && !options.WhatIf)
        {
            throw new ArgumentNullException(nameof(store), "Only a plan can run without a store.");
        }

        return new MirrorSync(storePath, store, create, config, options, sink).Execute();
    }

    /// <summary>
    /// Syncs one source into the store at <paramref name="storePath"/>, writing each result to <paramref name="sink"/>
    /// as an output object; a plan (<see cref="MirrorSyncOptions.WhatIf"/>) instead asks the sink about each change it
    /// would make, so the user sees one What if: line per file. Which store is needed is decided here: an existing
    /// store is opened with <paramref name="open"/>; a missing one is created with it only when the sync has something
    /// to write, and a plan never creates one: for a plan, <paramref name="open"/> gives the existing store or null
    /// (a server store's existence is known only by asking the server); for a sync it never gives null.
    /// </summary>
    public static void Sync(string storePath, Func<LogStore?> open, MirrorSourceConfig config, MirrorSyncOptions options, IEngineSink sink)
    {
        var existing = options.WhatIf || LogStore.Exists(storePath) ? open() : null;
        foreach (var result in Run(storePath, existing, config, options, sink, options.WhatIf ? null : () => open()!))
        {
            if (!options.WhatIf)
            {
                sink.Output(result);
                sink.File(result.ToFileRecord(config.PondPath));
            }
            else if (MirrorPlan.Describe(result) is { } change)
            {
                sink.ShouldProcess(null, change);
            }
        }
    }

    /// <summary>The pond folder of a source: inside &lt;store&gt;/pond, never outside it.</summary>
    internal static string PondFolder(string storePath, LogStore? store, string pondPath)
    {
        string[] parts = ["pond", .. pondPath.Split('/')];
        var content = LogStore.ContentFolder(storePath);
        var folder = store?.ContentPath(parts) ?? Path.GetFullPath(Path.Combine([content, .. parts]));
        var pondRoot = Path.Combine(Path.GetFullPath(content), "pond") + Path.DirectorySeparatorChar;
        if (!folder.StartsWith(pondRoot, StringComparison.Ordinal))
        {
            throw new LogToolsException(
                "MirrorPondPathEscapes", ErrorKind.InvalidArgument, pondPath,
                $"The pond path '{pondPath}' would resolve outside the store's pond '{pondRoot}'. Use a relative folder such as 'logs/name'.");
        }

        return folder;
    }

    private IEnumerable<MirrorResult> Execute()
    {
        CheckPondOwnership();
        var archives = Scan(config.ArchivedPattern, archived: true).ToList();
        var actives = Scan(config.ActivePattern, archived: false).ToList();
        if (actives.Count > 1)
        {
            Fail(new LogToolsException(
                "MirrorActiveAmbiguous", ErrorKind.InvalidData, config.ActivePattern.Text,
                $"The active pattern '{config.ActivePattern.Text}' of source '{Source}' matches {actives.Count} files ({string.Join(", ", actives.Select(a => a.Name))}); it must match one. The active file was skipped."));
            actives.Clear();
        }

        var hostActive = actives.SingleOrDefault();
        archives.RemoveAll(a => a.Name == hostActive?.Name);
        if (archives.Count == 0 && hostActive is null && !FoundAnything())
        {
            yield break;
        }

        using var sourceLock = options.WhatIf ? null : Writable.Lock($"mirror-{Source}", options.LockTimeout, () => new LogToolsException(
            "SyncInProgress", ErrorKind.ResourceBusy, Source,
            $"Another sync of the source '{Source}' (on this or another host) has held its lock for {options.LockTimeout.TotalSeconds:0.#} s. " +
            "Nothing was changed; run the sync again later or give a longer -LockTimeout."));
        if (!options.WhatIf)
        {
            Directory.CreateDirectory(pondFolder);
            Writable.Database.Write((c, t) => MirrorState.PutSource(c, t, config, now));
            Recover();
        }

        files = Load();
        var active = files.Values.SingleOrDefault(f => f.Kind == MirrorFileKind.Active);
        var knownArchives = files.Values.Where(f => f.Kind == MirrorFileKind.Archived).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var newArchives = archives.Where(a => !files.ContainsKey(a.Name)).ToList();
        var hostArchives = archives.ToDictionary(a => a.Name, StringComparer.Ordinal);

        var continues = active is not { Length: > 0 } || (hostActive is not null && hostActive.Name == active.Name && Continues(hostActive, active));
        (MirrorHostFile Archive, MirrorMatch Match, long ContentLength, string? HostDigest)? rotation = null;
        var deferred = new List<(MirrorHostFile Archive, string Why)>();
        foreach (var archive in newArchives.Where(a => a.Gz && hostArchives.ContainsKey(a.Name[..^3])).ToList())
        {
            // logrotate and lumberjack write the .gz beside the uncompressed archive, then delete the latter: not complete yet.
            deferred.Add((archive, $"The uncompressed '{archive.Name[..^3]}' still exists on the host: the compressed copy may still be being written; left for the next sync."));
            newArchives.Remove(archive);
        }

        if (active is { Length: > 0 })
        {
            foreach (var archive in newArchives.ToList())
            {
                var found = Guard<(MirrorMatch Match, long ContentLength, string? HostDigest)?>(archive.Path, () => MatchActive(archive, active));
                if (found is null)
                {
                    newArchives.Remove(archive);
                }
                else if (found.Value.Match != MirrorMatch.None && continues)
                {
                    deferred.Add((archive, "The archive holds the active file's mirrored bytes while the active file still continues them (a copy in progress); left for the next sync."));
                    newArchives.Remove(archive);
                }
                else if (found.Value.Match != MirrorMatch.None && rotation is null)
                {
                    rotation = (archive, found.Value.Match, found.Value.ContentLength, found.Value.HostDigest);
                    newArchives.Remove(archive);
                }
            }
        }

        var syncActive = hostActive is not null;
        if (!continues)
        {
            if (rotation is { } r)
            {
                var rotated = false;
                foreach (var result in Rotate(active!, r.Archive, r.Match, r.ContentLength, r.HostDigest))
                {
                    rotated = true;
                    yield return result;
                }

                // A failed rotation was undone and is retried by the next sync: the new active file must not be appended to the old copy meanwhile.
                syncActive &= rotated;
            }
            else if (hostActive is not null)
            {
                yield return Preserve(active!, active!.Length, $"The host file '{hostActive.Path}' was truncated or rewritten and no new archive holds the {active.Length} mirrored bytes");
            }
            else
            {
                syncActive = false;
                yield return Result(active!, MirrorAction.Gone, 0, $"The active file is missing on the host ('{config.ActivePattern.Text}'); the mirrored copy is kept until it reappears or an archive holds it.");
            }
        }

        foreach (var archive in newArchives)
        {
            var result = Guard(archive.Path, () => CopyNew(archive, MirrorFileStatus.Ok, CompressedOf(archive)));
            if (result is not null)
            {
                yield return result;
            }
        }

        foreach (var (archive, why) in deferred)
        {
            yield return new MirrorResult
            {
                Source = Source, Name = archive.Name, Action = MirrorAction.Deferred, Kind = MirrorFileKind.Archived, Status = MirrorFileStatus.Ok,
                Planned = options.WhatIf, HostPath = archive.Path, PondPath = PondFile(archive.Name), Length = 0, Message = why, HostLength = archive.Length,
            };
        }

        foreach (var known in knownArchives)
        {
            var result = Guard(known.HostPath ?? known.Name, () => CheckKnown(known, hostArchives.GetValueOrDefault(known.Name), hostArchives.ContainsKey(known.Name + ".gz")));
            if (result is not null)
            {
                yield return result;
            }
        }

        if (syncActive)
        {
            var result = Guard(hostActive!.Path, () => SyncActive(hostActive, files.Values.SingleOrDefault(f => f.Kind == MirrorFileKind.Active)));
            if (result is not null)
            {
                yield return result;
            }
        }
    }

    /// <summary>
    /// Reports a source whose patterns match no host file (a missing folder, a wrong pattern) on every run; true
    /// when the source was mirrored before, so that its recorded files are still checked (and reported gone).
    /// </summary>
    private bool FoundAnything()
    {
        var missing = new[] { config.ArchivedPattern.Folder, config.ActivePattern.Folder }.Distinct(StringComparer.Ordinal).Where(f => !Directory.Exists(f)).ToList();
        var why = missing.Count > 0
            ? $"the folder '{string.Join("' and '", missing)}' does not exist"
            : $"no file matches '{config.ArchivedPattern.Text}' or '{config.ActivePattern.Text}'";
        var known = Load().Count > 0;
        var message = $"Log source '{Source}': {why}. "
            + (known ? "Its recorded files are kept and checked." : "Nothing was mirrored and nothing was recorded.")
            + $" Check the patterns{(config.ConfigPath is null ? string.Empty : $" in '{config.ConfigPath}'")}.";
        sink.Warning(new LogToolsException("MirrorSourceEmpty", ErrorKind.ObjectNotFound, config.ConfigPath ?? (object)Source, message));

        return known;
    }

    private void CheckPondOwnership()
    {
        if (store is null)
        {
            return;
        }

        var (recorded, owner) = store.Database.Read(c => (MirrorState.PondPathOf(c, Source), MirrorState.SourceOfPond(c, config.PondPath)));
        if (recorded is not null && recorded != config.PondPath)
        {
            throw new LogToolsException(
                "MirrorPondPathChanged", ErrorKind.InvalidArgument, config.ConfigPath ?? (object)Source,
                $"The source '{Source}' is mirrored to the pond path '{recorded}'; its configuration now says '{config.PondPath}'. Change it back, or use a new source name for a new pond.");
        }

        if (owner is not null && owner != Source)
        {
            throw new LogToolsException(
                "MirrorPondPathInUse", ErrorKind.InvalidArgument, config.ConfigPath ?? (object)Source,
                $"The pond path '{config.PondPath}' already belongs to the source '{owner}'; two sources cannot share a pond folder. Choose another pond_path for '{Source}'.");
        }
    }

    private Dictionary<string, MirrorFileInfo> Load() => store is null
        ? new(StringComparer.Ordinal)
        : store.Database.Read(c => MirrorState.Files(c, Source, _ => pondFolder)).ToDictionary(f => f.Name, StringComparer.Ordinal);

    private string PondFile(string name) => Path.Combine(pondFolder, name);

    /// <summary>Host files matching a pattern, refusing names and links that could escape the pattern's folder.</summary>
    private IEnumerable<MirrorHostFile> Scan(MirrorPattern pattern, bool archived)
    {
        var folder = new DirectoryInfo(pattern.Folder);
        if (!folder.Exists)
        {
            sink.Verbose($"{Source}: the folder '{pattern.Folder}' does not exist; nothing matches '{pattern.Text}'.");
            yield break;
        }

        foreach (var entry in folder.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = entry.Name;
            var gz = archived && name.EndsWith(".gz", StringComparison.Ordinal) && pattern.Matches(name[..^3]);
            if (!pattern.Matches(name) && !gz)
            {
                continue;
            }

            var host = Guard(entry.FullName, () => Stat(entry, pattern, gz));
            if (host is not null)
            {
                yield return host;
            }
        }
    }

    private static MirrorHostFile? Stat(FileSystemInfo entry, MirrorPattern pattern, bool gz)
    {
        if (entry.Name.IndexOfAny(['/', '\\']) >= 0 || entry.Name.EndsWith(AtomicFile.PartialSuffix, StringComparison.Ordinal))
        {
            throw new LogToolsException(
                "MirrorHostNameInvalid", ErrorKind.InvalidData, entry.FullName,
                $"The host file name '{entry.Name}' contains a path separator or LogTools' temporary suffix, so it cannot be mirrored under its own name. It was skipped.");
        }

        var target = entry;
        if (entry.LinkTarget is not null)
        {
            target = entry.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists)
            {
                throw new LogToolsException(
                    "MirrorFileUnreadable", ErrorKind.ReadError, entry.FullName, $"The host file '{entry.FullName}' is a symbolic link to a missing file. It was skipped.");
            }

            if (Path.GetDirectoryName(target.FullName) != pattern.Folder)
            {
                throw new LogToolsException(
                    "MirrorSymlinkOutside", ErrorKind.PermissionDenied, entry.FullName,
                    $"The host file '{entry.FullName}' is a symbolic link to '{target.FullName}', outside the pattern's folder '{pattern.Folder}'. It was not followed.");
            }
        }

        return target is FileInfo file ? new MirrorHostFile(entry.Name, entry.FullName, file.Length, file.LastWriteTimeUtc.Ticks, gz) : null;
    }

    /// <summary>Runs one file's work; an I/O failure or a refused file is reported and the sync goes on.</summary>
    private T? Guard<T>(string path, Func<T> work)
    {
        // Between files: a stop leaves every file either done and recorded or untouched.
        sink.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return work();
        }
        catch (LogToolsException ex) when (ex.ErrorId is "MirrorFileUnreadable" or "MirrorHostNameInvalid" or "MirrorSymlinkOutside" or "MirrorPondDamaged" or "MirrorPondNotWritten")
        {
            FailFile(path, ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or InvalidDataException)
        {
            FailFile(path, new LogToolsException(
                "MirrorFileUnreadable", ErrorKind.ReadError, path,
                $"The file '{path}' could not be read ({ex.Message}). It was skipped; the other files were synced.", ex));
        }

        return default;
    }

    private void Fail(LogToolsException ex) => sink.Error(ex);

    /// <summary>Reports a file that failed, and records it in the run under the pond path it has (or would have).</summary>
    private void FailFile(string path, LogToolsException ex)
    {
        Fail(ex);
        sink.File(new RunFileRecord(MirrorResult.RunPhase, $"{config.PondPath}/{Path.GetFileName(path)}", "error") { ErrorType = ex.ErrorId, ErrorMessage = ex.Message });
    }

    /// <summary>Finishes or undoes what a killed sync left: a pending rename, unrecorded appended bytes, temporary copies.</summary>
    private void Recover()
    {
        var intent = Writable.Database.Read(c => MirrorState.Intent(c, Source));
        if (intent is not null)
        {
            files = Load();
            string from = PondFile(intent.FromName), to = PondFile(intent.ToName);
            if (intent.Operation == "rotate")
            {
                UndoRotation(intent);
                sink.Verbose($"{Source}: undid an interrupted rotation of '{intent.FromName}' to '{intent.ToName}'.");
            }
            else
            {
                // Finish: the preserved name was chosen once and is kept.
                if (File.Exists(from) && !File.Exists(to))
                {
                    File.Move(from, to);
                }

                Truncate(to, intent.Length);
                CommitPreserve(files[intent.FromName], intent.ToName, intent.Length, "Preserved by an interrupted sync: the host active file was truncated and no archive held the mirrored bytes.");
                sink.Verbose($"{Source}: finished an interrupted preservation of '{intent.FromName}' as '{intent.ToName}'.");
            }
        }

        foreach (var active in Load().Values.Where(f => f.Kind == MirrorFileKind.Active))
        {
            var path = PondFile(active.Name);
            if (File.Exists(path) && new FileInfo(path).Length > active.Length)
            {
                sink.Verbose($"{Source}: cut {new FileInfo(path).Length - active.Length} unrecorded bytes off '{path}' (an interrupted append).");
                Truncate(path, active.Length);
            }
        }

        foreach (var partial in Directory.EnumerateFiles(pondFolder, "." + "*" + AtomicFile.PartialSuffix))
        {
            sink.Verbose($"{Source}: removed the interrupted copy '{partial}'.");
            File.Delete(partial);
        }
    }

    /// <summary>Undoes a rotation's rename and completion; the next steps (or the next sync) re-detect the rotation from scratch.</summary>
    private void UndoRotation(MirrorIntent intent)
    {
        string from = PondFile(intent.FromName), to = PondFile(intent.ToName);
        if (!File.Exists(from) && File.Exists(to))
        {
            Truncate(to, intent.Length);
            File.Move(to, from);
        }

        Writable.Database.Write((c, t) => MirrorState.DeleteIntent(c, t, Source));
    }

    /// <summary>
    /// Runs one write into the pond; when anything fails in it (a full disk, a host read error, a stopped pipeline),
    /// <paramref name="undo"/> first puts the pond back to what is recorded, so no unrecorded bytes are left behind.
    /// </summary>
    private static T Undoable<T>(Func<T> work, Action undo)
    {
        try
        {
            return work();
        }
        catch
        {
            try
            {
                undo();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LogToolsException)
            {
                // The first failure is the one to report; the next sync's recovery finishes this undo.
            }

            throw;
        }
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        if (stream.Length > length)
        {
            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The cheap prefix check (first and last chunk), or the full one with -Verify: does the host active file still continue what was mirrored?</summary>
    private bool Continues(MirrorHostFile host, MirrorFileInfo active)
    {
        if (host.Length < active.Length)
        {
            return false;
        }

        using var file = MirrorCopy.OpenRead(host.Path);
        return AppendFingerprint.Of(file, active.Length) == new AppendFingerprint(active.FirstChunk ?? "", active.LastChunk ?? "")
            && (!options.Verify || Blake3File.HashRange(file, 0, active.Length) == active.Blake3);
    }

    /// <summary>Does a new archive hold the mirrored active bytes (by content: BLAKE3 of the prefix, decompressed for .gz)?</summary>
    private (MirrorMatch Match, long ContentLength, string? HostDigest) MatchActive(MirrorHostFile archive, MirrorFileInfo active)
    {
        using var file = MirrorCopy.OpenRead(archive.Path);
        using var raw = new FileStream(new SafeFileHandle(file.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 1 << 16);
        using var content = archive.Gz ? (Stream)new GZipStream(raw, CompressionMode.Decompress) : raw;
        var hasher = Blake3Hasher.Create();
        var buffer = new byte[1 << 20];
        long first = Math.Min(AppendFingerprint.ChunkLen, active.Length), total = 0;
        while (total < active.Length)
        {
            // Read no further than the length seen at the start (uncompressed), and stop at the first chunk for the cheap check.
            int want = (int)Math.Min(buffer.Length, total < first ? first - total : active.Length - total);
            want = archive.Gz ? want : (int)Math.Min(want, archive.Length - total);
            if (want == 0)
            {
                break;
            }

            int read = content.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            hasher.Update(buffer.AsSpan(0, read));
            total += read;
            if (total == first && first < active.Length && Blake3File.Digest(hasher) != active.FirstChunk)
            {
                return (MirrorMatch.None, 0, null);
            }

            if (read < want)
            {
                break;
            }
        }

        if (total == active.Length)
        {
            return Blake3File.Digest(hasher) == active.Blake3 ? (MirrorMatch.Extends, archive.Gz ? -1 : archive.Length, null) : (MirrorMatch.None, 0, null);
        }

        // Shorter than the mirrored copy: a copytruncate copy taken before bytes the pond already holds? An empty file proves nothing.
        if (total == 0)
        {
            return (MirrorMatch.None, 0, null);
        }

        var digest = Blake3File.Digest(hasher);
        using var pond = MirrorCopy.OpenRead(PondFile(active.Name));
        return Blake3File.HashRange(pond, 0, total) == digest ? (MirrorMatch.PondLonger, total, archive.Gz ? null : digest) : (MirrorMatch.None, 0, null);
    }

    private IEnumerable<MirrorResult> Rotate(MirrorFileInfo active, MirrorHostFile archive, MirrorMatch match, long contentLength, string? hostDigest)
    {
        if (archive.Gz)
        {
            // Compressed archives are mirrored as they are; the active copy is then redundant (Extends) or set aside (PondLonger).
            var message = $"The former active file '{active.Name}', compressed on the host.";
            var copied = Guard(archive.Path, () => CopyNew(archive, MirrorFileStatus.Rotated, message, match == MirrorMatch.Extends ? active : null));
            if (copied is null)
            {
                yield break;
            }

            yield return copied;
            if (match == MirrorMatch.PondLonger)
            {
                yield return Preserve(active, active.Length - contentLength, $"The compressed archive '{archive.Name}' holds only the first {contentLength} of the {active.Length} mirrored bytes (copytruncate window)");
            }

            yield break;
        }

        var unaccounted = match == MirrorMatch.PondLonger ? active.Length - contentLength : 0;
        var note = unaccounted > 0
            ? $"The former active file '{active.Name}'. The pond keeps {unaccounted} bytes the host archive lacks (written after the copy, before the truncate)."
            : $"The former active file '{active.Name}'.";
        if (options.WhatIf)
        {
            files[active.Name] = Reset(active);
            yield return new MirrorResult
            {
                Source = Source, Name = archive.Name, Action = MirrorAction.Rotated, Kind = MirrorFileKind.Archived, Status = MirrorFileStatus.Rotated, Planned = true,
                BytesCopied = match == MirrorMatch.Extends ? archive.Length - active.Length : 0, Length = Math.Max(archive.Length, active.Length),
                UnaccountedBytes = unaccounted, Message = note, HostPath = archive.Path, PondPath = PondFile(archive.Name),
            };
            yield break;
        }

        var intent = new MirrorIntent("rotate", active.Name, archive.Name, active.Length);
        var result = Guard(archive.Path, () =>
        {
            Writable.Database.Write((c, t) => MirrorState.PutIntent(c, t, Source, intent));
            return Undoable(() => CompleteRotation(active, archive, match, hostDigest, unaccounted, note), () => UndoRotation(intent));
        });
        if (result is not null)
        {
            if (unaccounted > 0)
            {
                sink.Warning($"{Source}: {result.Name}: {note}");
            }

            yield return result;
        }
    }

    /// <summary>The recorded rotation: the pond copy renamed to the archive's name, completed with the archive's remaining bytes, then recorded.</summary>
    private MirrorResult CompleteRotation(MirrorFileInfo active, MirrorHostFile archive, MirrorMatch match, string? hostDigest, long unaccounted, string note)
    {
        copy.Pause();
        if (File.Exists(PondFile(active.Name)))
        {
            File.Move(PondFile(active.Name), PondFile(archive.Name), overwrite: true);
        }
        else
        {
            File.Create(PondFile(archive.Name)).Dispose();
        }

        copy.Pause();
        var length = active.Length;
        var digest = active.Blake3;
        long bytesCopied = 0;
        if (match == MirrorMatch.Extends && archive.Length > active.Length)
        {
            using var host = MirrorCopy.OpenRead(archive.Path);
            using var pond = File.OpenHandle(PondFile(archive.Name), FileMode.Open, FileAccess.Write, FileShare.Read);
            var hasher = Blake3Hasher.Resume(Blake3ResumeState.FromBytes(active.HashState));
            bytesCopied = archive.Length - active.Length;
            copy.Copy(host, active.Length, bytesCopied, pond, PondFile(archive.Name), active.Length, hasher, done => Report(archive.Name, done, bytesCopied));
            MirrorCopy.FlushToDisk(pond, PondFile(archive.Name));
            length = archive.Length;
            digest = Blake3File.Digest(hasher);
        }

        var row = ArchiveRow(archive, length, digest, MirrorFileStatus.Rotated, note);
        row.HostBlake3 = hostDigest ?? digest;
        row.UnaccountedBytes = unaccounted;
        var reset = Reset(active);
        Writable.Database.Write((c, t) =>
        {
            MirrorState.PutFile(c, t, row);
            MirrorState.PutFile(c, t, reset);
            MirrorState.DeleteIntent(c, t, Source);
        });
        files[row.Name] = row;
        files[reset.Name] = reset;
        return Result(row, MirrorAction.Rotated, bytesCopied, note);
    }

    /// <summary>Sets the mirrored active copy aside under a distinct name (recorded as an intent first), and starts the active copy afresh.</summary>
    private MirrorResult Preserve(MirrorFileInfo active, long unaccounted, string why)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = $"{active.Name}.truncated-{stamp}";
        for (var i = 2; files.ContainsKey(name) || File.Exists(PondFile(name)); i++)
        {
            name = $"{active.Name}.truncated-{stamp}-{i}";
        }

        var message = $"{why}; the {active.Length} mirrored bytes are kept as '{name}' and the active file starts afresh.";
        sink.Warning($"{Source}: {active.Name}: {message}");
        if (!options.WhatIf)
        {
            Writable.Database.Write((c, t) => MirrorState.PutIntent(c, t, Source, new MirrorIntent("preserve", active.Name, name, active.Length)));
            copy.Pause();
            if (File.Exists(PondFile(active.Name)))
            {
                File.Move(PondFile(active.Name), PondFile(name));
            }

            copy.Pause();
        }

        return Result(CommitPreserve(active, name, unaccounted, message), MirrorAction.Preserved, 0, message);
    }

    /// <summary>Records the preserved copy and the fresh active state in one transaction, and drops the intent.</summary>
    private MirrorFileInfo CommitPreserve(MirrorFileInfo active, string name, long unaccounted, string message)
    {
        var row = new MirrorFileInfo
        {
            Source = Source, Name = name, Kind = MirrorFileKind.Preserved, Status = MirrorFileStatus.PreservedTruncation,
            Length = active.Length, Blake3 = active.Blake3, UnaccountedBytes = unaccounted, Message = message,
            MirroredAt = active.MirroredAt, UpdatedAt = now, PondPath = PondFile(name),
        };
        var reset = Reset(active);
        if (!options.WhatIf)
        {
            Writable.Database.Write((c, t) =>
            {
                MirrorState.PutFile(c, t, row);
                MirrorState.PutFile(c, t, reset);
                MirrorState.DeleteIntent(c, t, Source);
            });
        }

        files[name] = row;
        files[active.Name] = reset;
        return row;
    }

    /// <summary>The active file's state with nothing mirrored yet (after its copy became an archive or was set aside).</summary>
    private MirrorFileInfo Reset(MirrorFileInfo active) => new()
    {
        Source = Source, Name = active.Name, Kind = MirrorFileKind.Active, Status = MirrorFileStatus.Ok, HostPath = active.HostPath,
        Length = 0, Blake3 = EmptyDigest, MirroredAt = now, UpdatedAt = now, PondPath = active.PondPath,
    };

    private MirrorFileInfo ArchiveRow(MirrorHostFile host, long length, string digest, MirrorFileStatus status, string? message) => new()
    {
        Source = Source, Name = host.Name, Kind = MirrorFileKind.Archived, Status = status, HostPath = host.Path, HostLength = host.Length,
        HostMtimeTicks = host.MtimeTicks, HostBlake3 = digest, Length = length, Blake3 = digest, Message = message,
        MirroredAt = now, UpdatedAt = now, PondPath = PondFile(host.Name),
    };

    private MirrorResult Result(MirrorFileInfo row, MirrorAction action, long bytesCopied, string? message, MirrorFileStatus? status = null) => new()
    {
        Source = Source, Name = row.Name, Action = action, Kind = row.Kind, Status = status ?? row.Status, BytesCopied = bytesCopied, Length = row.Length,
        Blake3 = options.WhatIf && action is MirrorAction.Copied or MirrorAction.Appended or MirrorAction.Rotated ? null : row.Blake3,
        UnaccountedBytes = row.UnaccountedBytes, Message = message, Planned = options.WhatIf, HostPath = row.HostPath, PondPath = PondFile(row.Name),
        HostLength = row.HostLength, Verified = options.Verify,
    };

    // Copies smaller than MinimumTotal finish too fast for a progress bar to help.
    private void Report(string name, long done, long total) =>
        sink.Progress(new EngineProgress($"Sync-LogSource {Source}", name, done, total) { Bytes = true, MinimumTotal = 8 << 20 });

    /// <summary>A note for a new .gz archive that is the compressed form of an archive already mirrored uncompressed.</summary>
    private string? CompressedOf(MirrorHostFile archive) =>
        archive.Gz && files.ContainsKey(archive.Name[..^3]) ? $"The compressed form of '{archive.Name[..^3]}' (logrotate or lumberjack compression)." : null;

    /// <summary>
    /// A new archive: copied and hashed in one pass to a temporary name, flushed, renamed, and only then recorded
    /// (with, for a compressed former active file, the fresh active state in the same transaction).
    /// </summary>
    private MirrorResult CopyNew(MirrorHostFile archive, MirrorFileStatus status, string? message, MirrorFileInfo? formerActive = null)
    {
        if (options.WhatIf)
        {
            if (formerActive is not null)
            {
                files[formerActive.Name] = Reset(formerActive);
            }

            return Result(ArchiveRow(archive, archive.Length, string.Empty, status, message), formerActive is null ? MirrorAction.Copied : MirrorAction.Rotated, archive.Length, message);
        }

        var row = ArchiveRow(archive, archive.Length, string.Empty, status, message);
        var reset = formerActive is null ? null : Reset(formerActive);
        AtomicFile.Write(
            row.PondPath,
            pond =>
            {
                using var host = MirrorCopy.OpenRead(archive.Path);
                var hasher = Blake3Hasher.Create();
                copy.Copy(host, 0, archive.Length, pond.SafeFileHandle, pond.Name, 0, hasher, done => Report(archive.Name, done, archive.Length));
                MirrorCopy.FlushToDisk(pond.SafeFileHandle, pond.Name);
                copy.Pause();
                return Blake3File.Digest(hasher);
            },
            digest =>
            {
                copy.Pause();
                row.Blake3 = row.HostBlake3 = digest;
                Writable.Database.Write((c, t) =>
                {
                    MirrorState.PutFile(c, t, row);
                    if (reset is not null)
                    {
                        MirrorState.PutFile(c, t, reset);
                    }
                });
            });
        files[row.Name] = row;
        if (reset is not null)
        {
            files[reset.Name] = reset;
            Truncate(PondFile(reset.Name), 0);
        }

        return Result(row, formerActive is null ? MirrorAction.Copied : MirrorAction.Rotated, archive.Length, message);
    }

    /// <summary>A known archive: a stat when nothing changed; a re-hash when the stat changed or with -Verify.</summary>
    private MirrorResult CheckKnown(MirrorFileInfo known, MirrorHostFile? host, bool compressedOnHost)
    {
        if (VerifyPond(known) is { } damaged)
        {
            return damaged;
        }

        if (host is null)
        {
            var message = compressedOnHost
                ? $"Replaced on the host by '{known.Name}.gz'; the pond keeps this copy."
                : "Gone from the host; the pond keeps its copy.";
            if (known.Status != MirrorFileStatus.GoneFromHost)
            {
                if (!compressedOnHost)
                {
                    sink.Warning($"{Source}: {known.Name}: {message}");
                }

                Update(known, MirrorFileStatus.GoneFromHost, message, null);
            }

            return Result(known, MirrorAction.Gone, 0, message);
        }

        if (host.Length == known.HostLength && host.MtimeTicks == known.HostMtimeTicks && !options.Verify && known.Status != MirrorFileStatus.GoneFromHost)
        {
            return Result(known, MirrorAction.Unchanged, 0, known.Status == MirrorFileStatus.ChangedOnHost ? known.Message : null);
        }

        string digest;
        using (var file = MirrorCopy.OpenRead(host.Path))
        {
            digest = Blake3File.HashRange(file, 0, host.Length);
        }

        if (digest == (known.HostBlake3 ?? known.Blake3))
        {
            var restored = known.Status is MirrorFileStatus.ChangedOnHost or MirrorFileStatus.GoneFromHost ? MirrorFileStatus.Ok : known.Status;
            if (restored != known.Status || host.Length != known.HostLength || host.MtimeTicks != known.HostMtimeTicks)
            {
                Update(known, restored, restored == known.Status ? known.Message : null, host);
            }

            return Result(known, MirrorAction.Unchanged, 0, null);
        }

        var changed = $"Changed on the host after it was mirrored: recorded {known.Length} bytes (BLAKE3 {known.Blake3}), kept in the pond; the host file now has {host.Length} bytes (BLAKE3 {digest}) and is not re-ingested.";
        sink.Warning($"{Source}: {known.Name}: {changed}");
        Update(known, MirrorFileStatus.ChangedOnHost, changed, host);
        return Result(known, MirrorAction.Changed, 0, changed);
    }

    /// <summary>
    /// With -Verify: re-hashes the pond copy against its recorded BLAKE3. A damaged copy is reported (a warning, and a
    /// result with action Damaged and status PondDamaged) and left as it is; the record keeps what was mirrored.
    /// </summary>
    private MirrorResult? VerifyPond(MirrorFileInfo known)
    {
        if (!options.Verify || (known.Length == 0 && known.Kind == MirrorFileKind.Active))
        {
            return null;
        }

        var check = MirrorCatalog.Check(known, host: false, p => Report(p.Name, p.Done, p.Total));
        if (check.Status == MirrorCheckStatus.Ok)
        {
            return null;
        }

        var message = $"The pond copy is damaged: {check.Message} Nothing was changed; restore '{known.PondPath}' from a backup (Test-LogMirror reports it until then).";
        sink.Warning($"{Source}: {known.Name}: {message}");
        return Result(known, MirrorAction.Damaged, 0, message, MirrorFileStatus.PondDamaged);
    }

    private void Update(MirrorFileInfo known, MirrorFileStatus status, string? message, MirrorHostFile? host)
    {
        known.Status = status;
        known.Message = message;
        known.UpdatedAt = now;
        if (host is not null)
        {
            known.HostLength = host.Length;
            known.HostMtimeTicks = host.MtimeTicks;
        }

        if (!options.WhatIf)
        {
            Writable.Database.Write((c, t) => MirrorState.PutFile(c, t, known));
        }
    }

    /// <summary>
    /// The active file: only the bytes beyond the mirrored length, up to the length seen at the start of the sync,
    /// are read and appended; hashing resumes from the stored state. The bytes are flushed before the new length
    /// and state are recorded, so a crash leaves at most unrecorded bytes, which the next sync cuts off.
    /// </summary>
    private MirrorResult SyncActive(MirrorHostFile host, MirrorFileInfo? active)
    {
        if (active is not null && active.Name != host.Name && active.Length > 0)
        {
            throw new LogToolsException("MirrorPondDamaged", ErrorKind.InvalidData, active.PondPath, $"Internal state: the active copy '{active.Name}' was not rotated before '{host.Name}'.");
        }

        if (active is not null && VerifyPond(active) is { } damaged)
        {
            // Appending to a damaged copy would hide the damage behind a correct recorded digest.
            return damaged;
        }

        active ??= new MirrorFileInfo { Source = Source, Name = host.Name, Kind = MirrorFileKind.Active, Blake3 = EmptyDigest, MirroredAt = now, UpdatedAt = now };
        var previousName = active.Name;
        var path = PondFile(host.Name);
        if (host.Length == active.Length && active.Name == host.Name && (options.WhatIf || File.Exists(path)))
        {
            return Result(active, MirrorAction.Unchanged, 0, null);
        }

        if (host.Length < active.Length)
        {
            throw new LogToolsException("MirrorPondDamaged", ErrorKind.InvalidData, host.Path, $"The host file '{host.Path}' is shorter than the mirrored copy; it will be handled by the next sync.");
        }

        var count = host.Length - active.Length;
        var row = new MirrorFileInfo
        {
            Source = Source, Name = host.Name, Kind = MirrorFileKind.Active, Status = MirrorFileStatus.Ok, HostPath = host.Path, HostLength = host.Length,
            HostMtimeTicks = host.MtimeTicks, Length = host.Length, MirroredAt = active.MirroredAt, UpdatedAt = now, PondPath = path,
        };
        if (options.WhatIf)
        {
            return Result(row, active.Length == 0 ? MirrorAction.Copied : MirrorAction.Appended, count, null);
        }

        if (active.Length == 0 && previousName == host.Name && !files.ContainsKey(host.Name))
        {
            // Recorded before the first byte is written, so that an interrupted first copy is cut back like any append.
            Writable.Database.Write((c, t) => MirrorState.PutFile(c, t, active));
        }

        Undoable(() => AppendActive(host, active, row, count, previousName), () => Truncate(path, active.Length));
        files[row.Name] = row;
        return Result(row, active.Length == 0 ? MirrorAction.Copied : MirrorAction.Appended, count, null);
    }

    /// <summary>Appends the host active file's new bytes to the pond copy, flushes them, then records the new length and hash state.</summary>
    private MirrorFileInfo AppendActive(MirrorHostFile host, MirrorFileInfo active, MirrorFileInfo row, long count, string previousName)
    {
        var path = row.PondPath;
        using (var file = MirrorCopy.OpenRead(host.Path))
        using (var pond = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
        {
            if (RandomAccess.GetLength(pond) != active.Length)
            {
                throw new LogToolsException(
                    "MirrorPondDamaged", ErrorKind.InvalidData, path,
                    $"The pond copy '{path}' has {RandomAccess.GetLength(pond)} bytes but {active.Length} are recorded; it was changed outside LogTools. Check it with Test-LogMirror; the active file was not synced.");
            }

            var hasher = active.HashState is null ? Blake3Hasher.Create() : Blake3Hasher.Resume(Blake3ResumeState.FromBytes(active.HashState));
            copy.Copy(file, active.Length, count, pond, path, active.Length, hasher, done => Report(host.Name, done, count));
            MirrorCopy.FlushToDisk(pond, path);
            row.Blake3 = Blake3File.Digest(hasher);
            row.HashState = hasher.ExportState().ToBytes();
            (row.FirstChunk, row.LastChunk) = AppendFingerprint.Of(pond, row.Length);
        }

        copy.Pause();
        Writable.Database.Write((c, t) =>
        {
            if (previousName != row.Name)
            {
                MirrorState.DeleteFile(c, t, Source, previousName);
            }

            MirrorState.PutFile(c, t, row);
        });
        return row;
    }
}
