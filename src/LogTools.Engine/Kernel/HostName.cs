namespace LogTools.Engine;

/// <summary>
/// The name of this machine as LogTools records it (sessions, runs, API calls, port builds, history imports).
/// $LOGTOOLS_MACHINE_NAME overrides it: for hosts whose own name is not unique in a fleet writing one store
/// (containers), and for tests that play several hosts on one machine.
/// </summary>
public static class HostName
{
    public const string EnvironmentVariable = "LOGTOOLS_MACHINE_NAME";

    public static string Current => System.Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } name ? name : System.Environment.MachineName;
}
