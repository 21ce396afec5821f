using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace LogTools.Cli;

/// <summary>
/// Writes output to stdout, and errors, warnings, verbose, debug and progress to stderr (so a cron job's
/// data stays clean), coloured only when the stream is a terminal.
/// </summary>
internal sealed partial class ConsoleHostUserInterface : PSHostUserInterface
{
    private readonly ConsoleHostRawUserInterface raw = new();
    private readonly bool errorIsTerminal = !Console.IsErrorRedirected;
    private int progressWidth;

    public override PSHostRawUserInterface RawUI => raw;

    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

    public override void Write(string value) => Console.Out.Write(Plain(value));

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(Plain(value));

    public override void WriteLine(string value) => Console.Out.WriteLine(Plain(value));

    public override void WriteErrorLine(string value) => Diagnostic(value, "\e[91m");

    public override void WriteWarningLine(string message) => Diagnostic("WARNING: " + message, "\e[93m");

    public override void WriteVerboseLine(string message) => Diagnostic("VERBOSE: " + message, "\e[93m");

    public override void WriteDebugLine(string message) => Diagnostic("DEBUG: " + message, "\e[93m");

    public override void WriteInformation(InformationRecord record)
    {
        // The engine calls this only for records the preference says to show (Write-Host, -InformationAction Continue).
        if (record.MessageData is HostInformationMessage { NoNewLine: true } partial)
        {
            Console.Out.Write(Plain(partial.Message));
        }
        else
        {
            Console.Out.WriteLine(Plain(record.MessageData?.ToString() ?? string.Empty));
        }
    }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        // One line redrawn in place on a terminal; nothing when stderr is a file, as pwsh does without a console.
        if (!errorIsTerminal)
        {
            return;
        }

        var text = record.RecordType == ProgressRecordType.Completed
            ? string.Empty
            : $"{record.Activity}: {record.StatusDescription}" + (record.PercentComplete >= 0 ? $" [{record.PercentComplete}%]" : string.Empty)
              + (string.IsNullOrEmpty(record.CurrentOperation) ? string.Empty : " " + record.CurrentOperation);
        var width = Math.Max(20, raw.BufferSize.Width - 1);
        if (text.Length > width)
        {
            text = text[..width];
        }

        Console.Error.Write("\r\e[36m" + text.PadRight(progressWidth) + "\e[0m\r");
        progressWidth = text.Length;
    }

    public override string ReadLine() => throw ConsoleHost.NotInteractive();

    public override SecureString ReadLineAsSecureString() => throw ConsoleHost.NotInteractive();

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw ConsoleHost.NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw ConsoleHost.NotInteractive();

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw ConsoleHost.NotInteractive();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        throw ConsoleHost.NotInteractive();

    /// <summary>Text for a file or a pipe carries no colour codes, as pwsh renders it when output is redirected.</summary>
    private static string Plain(string value) => Console.IsOutputRedirected ? AnsiCode().Replace(value, string.Empty) : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"\e\[[0-9;?]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex AnsiCode();

    private void Diagnostic(string text, string colour)
    {
        if (progressWidth > 0)
        {
            Console.Error.Write("\r" + new string(' ', progressWidth) + "\r");
            progressWidth = 0;
        }

        Console.Error.WriteLine(errorIsTerminal ? colour + text + "\e[0m" : text);
    }
}
