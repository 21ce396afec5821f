using System.Management.Automation;

namespace LogTools.Cli;

/// <summary>Errors as pwsh's concise view shows them, plus the error id an admin can search for.</summary>
internal static class ErrorText
{
    public static string Render(ErrorRecord record)
    {
        var command = record.InvocationInfo?.MyCommand?.Name;
        var message = record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString();
        var prefix = string.IsNullOrEmpty(command) ? string.Empty : command + ": ";
        return $"{prefix}{message} [{record.FullyQualifiedErrorId}]";
    }
}
