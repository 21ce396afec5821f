namespace LogTools.Tests.Support;

/// <summary>Paths of what the build assembled: the tests use exactly what a user gets.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ModuleFolder => Path.Combine(Root, "out", "LogTools");

    public static string ModuleManifest => Path.Combine(ModuleFolder, "LogTools.psd1");


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
