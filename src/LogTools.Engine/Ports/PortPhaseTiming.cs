namespace LogTools.Engine.Ports;

/// <summary>One phase of a port build: how long it ran and how its command exited.</summary>
public sealed record PortPhaseTiming(string Phase, TimeSpan Duration, int ExitCode);
