using System.Collections.Specialized;
using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>What the session, task, worker and event cmdlets share: the current session, dates and plain data from PowerShell.</summary>
public abstract class TelemetryCmdlet : StoreCmdlet
{
    /// <summary>The session of this PowerShell session (Start-LogSession), or null.</summary>
    protected static string? CurrentSessionId => CurrentLogSession.Get();

    /// <summary>A user's date as a point in time: dates without a zone are local, as PowerShell shows them.</summary>
    protected static DateTimeOffset? ToOffset(DateTime? value) => value is { } v ? TimeWindow.InZone(v, TimeZoneInfo.Local) : null;

    /// <summary>For DetailsJson: PowerShell's wrapper objects as the data they carry (a custom object's properties as a map).</summary>
    protected static object? Unwrap(object value)
    {
        if (value is not PSObject wrapped)
        {
            return value;
        }

        if (wrapped.BaseObject is not PSCustomObject)
        {
            return wrapped.BaseObject;
        }

        var properties = new OrderedDictionary();
        foreach (var property in wrapped.Properties)
        {
            properties[property.Name] = property.Value;
        }

        return properties;
    }

    protected static TEnum ParseEnum<TEnum>(string value)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(value, ignoreCase: true);
}
