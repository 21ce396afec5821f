namespace LogTools.Engine.Ports;

/// <summary>
/// A port's row of the checksum index: the key and folder sum of its last successful build, and its port.yml as read
/// (<see cref="PortSpec.ToJson"/>) with the stat tuple that vouches for it, or null when none does.
/// </summary>
internal sealed record PortIndexRow(string Key, PortFolder Folder, string? SpecStat, string? SpecJson)
{
    /// <summary>What <see cref="PortSpec.Load(string, string, ValueTuple{string, string}?)"/> may take instead of parsing.</summary>
    public (string Stat, string Json)? Spec => SpecStat is not null && SpecJson is not null ? (SpecStat, SpecJson) : null;
}
