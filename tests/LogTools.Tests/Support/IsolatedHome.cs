namespace LogTools.Tests.Support;

/// <summary>
/// Keeps module tests off the machine: this test process and every pwsh it starts get their own config home
/// (no user settings.json or prices.json), data home (no default store) and working folder (outside any git
/// checkout), as tests/Pester/Run.ps1 does for Pester.
/// </summary>
public static class IsolatedHome
{
    private static readonly Lazy<string> Root = new(Create);

    /// <summary>The working folder for module sessions and the pwsh processes tests start.</summary>
    public static string WorkFolder => Path.Combine(Root.Value, "work");

    /// <summary>Applies the isolation to this process (once); every caller that starts a session or a process calls it first.</summary>
    public static void Apply() => _ = Root.Value;

    private static string Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "logtools-tests", "home-" + Guid.NewGuid().ToString("N"));
        foreach (var folder in new[] { "config", "data", "work" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(root, "config"));
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(root, "data"));
        Environment.SetEnvironmentVariable("LOGTOOLS_STORE", null);
        Environment.CurrentDirectory = Path.Combine(root, "work");
        return root;
    }
}
