namespace LogTools.Engine.Sessions;

/// <summary>How Get-ApiCost groups calls: not at all, by a local calendar period, or by a dimension.</summary>
public enum ApiCostGroup
{
    None,
    Day,
    Week,
    Month,
    Model,
    Task,
    Worker,
    Session,
    Machine,
}
