using System.Globalization;
using System.Management.Automation.Host;

namespace LogTools.Cli;

/// <summary>A non-interactive console host: output through the module's views, streams as pwsh shows them, no prompts.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleHostUserInterface ui = new();

    public ConsoleHost(string version) => Version = Version.TryParse(version, out var v) ? v : new Version(0, 0);

    public override string Name => "logtools";

    public override Version Version { get; }

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>Set by 'exit N' at the top level of -Command.</summary>
    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() => throw NotInteractive();

    public override void ExitNestedPrompt() => throw NotInteractive();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    internal static InvalidOperationException NotInteractive() =>
        new("logtools is not interactive: it cannot prompt. Pass the value as a parameter, or -Confirm:$false.");
}
