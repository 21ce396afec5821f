namespace LogTools.Benchmarks;

/// <summary>Where the assembled module is, found from the benchmark's own folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ModuleManifest => Path.Combine(Root, "out", "LogTools", "LogTools.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LogTools.sln not found above " + AppContext.BaseDirectory);
    }
}
