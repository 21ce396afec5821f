using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Sessions;

/// <summary>Records and finds coordinator events (the events table).</summary>
public sealed class EventLedger(LogStore store, TimeProvider? clock = null)
{
    private const string Columns = "event_id, session_id, timestamp, event_type, severity, message, context_type, context_id, details";
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    public LogEvent Write(NewLogEvent e)
    {
        var at = TelemetryTime.Check(e.Timestamp, time.GetUtcNow(), "event timestamp");
        var session = SessionLedger.Require(e.SessionId);
        return store.Database.Write((connection, transaction) =>
        {
            SessionLedger.CheckExists(connection, transaction, session);
            var id = Convert.ToInt64(Scalar(
                connection, transaction,
                "INSERT INTO events (session_id, timestamp, event_type, severity, message, context_type, context_id, details) " +
                "VALUES ($session, $at, $type, $severity, $message, $contextType, $contextId, $details) RETURNING event_id",
                P("$session", session), P("$at", StoreTime.ToText(at)), P("$type", e.Type), P("$severity", Lower(e.Severity)),
                P("$message", e.Message), P("$contextType", e.ContextType), P("$contextId", e.ContextId), P("$details", e.Details)));
            return new LogEvent
            {
                EventId = id,
                SessionId = session,
                Timestamp = StoreTime.Parse(StoreTime.ToText(at)), // as stored: milliseconds, UTC
                Type = e.Type,
                Severity = e.Severity,
                Message = e.Message,
                ContextType = e.ContextType,
                ContextId = e.ContextId,
                Details = DetailsJson.Parse(e.Details),
                DetailsJson = e.Details,
            };
        });
    }

    /// <summary>Events in time order (ties in the order they were written).</summary>
    public void Find(EventQuery query, Action<LogEvent> sink)
    {
        var severities = SeverityLevels.AtLeast(query.MinimumSeverity);
        var (since, until) = TimeWindow.Select(query.Today, query.Since, query.Until, time);
        var filter = new SqlFilter()
            .AddIn("event_type", "$type", query.Types)
            .AddIn("severity", "$severity", severities)
            .Add("context_type = $contextType", "$contextType", query.ContextType)
            .AddId("context_id", "$contextId", query.ContextId)
            .AddId("session_id", "$session", query.SessionId)
            .Add("timestamp >= $since", "$since", since is { } s ? StoreTime.ToText(s) : null)
            .Add("timestamp < $until", "$until", until is { } u ? StoreTime.ToText(u) : null);
        store.Database.Read(connection =>
        {
            Query(connection, null, $"SELECT {Columns} FROM events{filter.Where} ORDER BY timestamp, event_id", filter.Parameters, Map, sink);
            return true;
        });
    }

    private static LogEvent Map(DbDataReader r) => new()
    {
        EventId = r.GetInt64(0),
        SessionId = Text(r, 1),
        Timestamp = StoreTime.Parse(r.GetString(2)),
        Type = r.GetString(3),
        Severity = EnumValue<LogEventSeverity>(r.GetString(4)),
        Message = r.GetString(5),
        ContextType = Text(r, 6),
        ContextId = Text(r, 7),
        Details = DetailsJson.Parse(Text(r, 8)),
        DetailsJson = Text(r, 8),
    };
}
