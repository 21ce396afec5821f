namespace LogTools.Tests.Support;

/// <summary>Sets process environment variables for one test and restores them. Tests using it share one serial collection.</summary>
public sealed class ProcessEnvironment : IDisposable
{
    public const string Name = "process environment";
    private readonly Dictionary<string, string?> saved = [];

    public ProcessEnvironment(Dictionary<string, string?> values)
    {
        // Isolate first, so that restoring puts back the tests' homes, never the user's.
        IsolatedHome.Apply();
        foreach (var (key, value) in values)
        {
            saved[key] = Environment.GetEnvironmentVariable(key);
            Environment.SetEnvironmentVariable(key, value);
        }
    }

    public void Dispose()
    {
        foreach (var (key, value) in saved)
        {
            Environment.SetEnvironmentVariable(key, value);
        }
    }
}
