using System.Diagnostics;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

/// <summary>A stop (Ctrl+C) while Sql.ForEach reads rows, as Copy-LogStore's copy and read-back do.</summary>
[Trait("Category", TestBackend.Category)]
public sealed class SqlStopTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_stop_while_rows_are_read_ends_the_statement_at_once_instead_of_reading_the_rest_and_is_a_stop()
    {
        var store = TestBackend.Open(temp.Path);
        using var stop = new CancellationTokenSource();
        var rows = 0;
        var clock = Stopwatch.StartNew();

        // Twenty million rows made by the server as they are read. Without the statement cancelled, a PostgreSQL
        // reader closed after the first thousand would read all the others first (several seconds).
        Assert.ThrowsAny<OperationCanceledException>(() => store.Database.Read(connection =>
        {
            Sql.ForEach(
                connection, null, "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 20000000) SELECT x FROM s", [],
                _ =>
                {
                    if (++rows == 1000)
                    {
                        stop.Cancel();
                        stop.Token.ThrowIfCancellationRequested();
                    }
                },
                cancellationToken: stop.Token);
            return 0;
        }));

        Assert.Equal(1000, rows);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The stop took {clock.Elapsed.TotalSeconds:0.0} s to end the read.");

        // The connection the stop ended a statement on goes back to the pool fit for the next command.
        Assert.Equal(7L, store.Database.Read(connection => Convert.ToInt64(Sql.Scalar(connection, null, "SELECT 7"))));
    }

    [Fact]
    public void A_stop_ends_a_statement_still_working_towards_its_first_row_as_a_stop()
    {
        var store = TestBackend.Open(temp.Path);
        using var stop = new CancellationTokenSource();
        var rows = 0;
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(TimeSpan.FromMilliseconds(300));

        // A count over two hundred million rows, as an integrity check works for long before its one row: tens of
        // seconds unless the backend is told to end it (SQLite's interrupt, PostgreSQL's cancel request).
        Assert.ThrowsAny<OperationCanceledException>(() => store.Database.Read(connection =>
        {
            Sql.ForEach(
                connection, null, "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 200000000) SELECT count(*) FROM s", [],
                _ => rows++, cancellationToken: stop.Token);
            return 0;
        }));

        Assert.Equal(0, rows);
        // Without the interrupt or cancel the count runs for tens of seconds; 5 s leaves room for a PostgreSQL cancel
        // request that waits for a core while the whole suite runs (2.7 s seen once on two cores).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The stop took {clock.Elapsed.TotalSeconds:0.0} s to end the statement.");
        Assert.Equal(7L, store.Database.Read(connection => Convert.ToInt64(Sql.Scalar(connection, null, "SELECT 7"))));
    }
}
