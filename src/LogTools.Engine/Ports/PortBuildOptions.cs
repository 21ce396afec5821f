namespace LogTools.Engine.Ports;

/// <summary>What Invoke-PortBuild was asked to do.</summary>
public sealed class PortBuildOptions
{
    /// <summary>The ports tree (full path).</summary>
    public required string PortsPath { get; init; }

    /// <summary>
    /// Where builds happen (full path): <c>work/</c>, <c>stage/</c> and <c>pkgout/</c> per port, fresh for each
    /// build, and <c>packages/&lt;origin&gt;/</c>, each port's latest package.
    /// </summary>
    public required string WorkPath { get; init; }

    /// <summary>The origins to build with their dependencies; empty for the whole tree.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>How many ports build at once.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Only report the plan (through the sink's ShouldProcess), writing nothing.</summary>
    public bool WhatIf { get; init; }
}
