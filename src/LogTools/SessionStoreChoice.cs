namespace LogTools;

/// <summary>
/// The store chosen with Set-LogStore for this PowerShell session, and for a server store the password given with it
/// (kept in memory for the session only, never written anywhere).
/// </summary>
internal static class SessionStoreChoice
{
    private static readonly RunspaceValue<Choice> Current = new();

    public static string? Get() => Current.Get()?.Location;

    public static void Set(string? location, string? password = null) => Current.Set(location is null ? null : new Choice(location, password));

    /// <summary>The session's password for <paramref name="location"/>, when that is the session's store.</summary>
    public static string? PasswordFor(string location) => Current.Get() is { } choice && choice.Location == location ? choice.Password : null;

    private sealed record Choice(string Location, string? Password);
}
