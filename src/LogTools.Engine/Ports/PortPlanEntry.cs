namespace LogTools.Engine.Ports;

/// <summary>One port in the plan: what to do, why, and its checksum (null when it could not be computed).</summary>
internal sealed record PortPlanEntry(PortSpec Port, PortPlanAction Action, string Reason, PortChecksum? Checksum);
