namespace LogTools.Engine;

/// <summary>
/// The one crash-safe way to write a whole file (mirrored archives, outboards, manifests; compression, archiving and
/// packages to come): write a hidden temporary beside the target, verify while writing, flush it to disk, rename it
/// over the target, then record it. The target is never seen half-written; a crash leaves at most the temporary,
/// which the writer's next run removes (<see cref="PartialSuffix"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of the hidden temporary: "." + the target's name + this.</summary>
    public const string PartialSuffix = ".logtools-partial";

    /// <summary>The hidden temporary beside <paramref name="target"/>.</summary>
    public static string PartialPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target) ?? string.Empty, "." + Path.GetFileName(target) + PartialSuffix);

    /// <summary>
    /// Writes <paramref name="target"/>: <paramref name="write"/> fills the temporary (and returns what it verified,
    /// such as a digest), which is flushed to disk and renamed over the target; then <paramref name="record"/> runs.
    /// If any step fails, the temporary (or, once renamed, the new target: it was never recorded) is removed and the
    /// failure rethrown.
    /// </summary>
    public static T Write<T>(string target, Func<FileStream, T> write, Action<T>? record = null)
    {
        var partial = PartialPath(target);
        var renamed = false;
        try
        {
            T result;
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
            {
                result = write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(partial, target, overwrite: true);
            renamed = true;
            record?.Invoke(result);
            return result;
        }
        catch
        {
            try
            {
                File.Delete(renamed ? target : partial);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The first failure is the one to report; the writer's next run removes what is left.
            }

            throw;
        }
    }
}
