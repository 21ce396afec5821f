namespace LogTools.Engine.Ports;

/// <summary>The status of a build record: running while its phases run, then success or failed; abandoned when its builder died.</summary>
public enum PortRecordStatus
{
    Running,
    Success,
    Failed,
    Abandoned,
}
