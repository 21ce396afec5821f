namespace LogTools;

/// <summary>The store chosen with Set-LogStore, kept per runspace (see <see cref="RunspaceValue{T}"/>).</summary>
internal static class SessionStoreChoice
{
    private static readonly RunspaceValue<string> Choice = new();

    public static string? Get() => Choice.Get();

    public static void Set(string? path) => Choice.Set(path);
}
