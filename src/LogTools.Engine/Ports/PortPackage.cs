namespace LogTools.Engine.Ports;

/// <summary>One row of the package index (Get-PortPackage): a port's package from its latest successful build.</summary>
public sealed class PortPackage
{
    public required string Origin { get; init; }

    public required string Version { get; init; }

    public required string BuildId { get; init; }

    public required string PackageFile { get; init; }

    public DateTimeOffset BuiltAt { get; init; }
}
