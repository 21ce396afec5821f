namespace LogTools.Engine.Ports;

/// <summary>What the plan does with a port before any dependency is known to have failed.</summary>
internal enum PortPlanAction
{
    Build,
    Skip,
    Ignore,
}
