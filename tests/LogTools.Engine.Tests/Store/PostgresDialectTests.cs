using LogTools.Engine.Store;

namespace LogTools.Engine.Tests.Store;

public sealed class PostgresDialectTests
{
    [Theory]
    [InlineData("SELECT max(a, coalesce(b, ''), c) FROM t", "SELECT greatest(a, coalesce(b, ''), c) FROM t")]
    [InlineData("WHERE max(detected_at, coalesce(started_at, '')) >= $since", "WHERE greatest(detected_at, coalesce(started_at, '')) >= @since")]
    [InlineData("SELECT max(version) FROM schema_migrations", "SELECT max(version) FROM schema_migrations")]
    [InlineData("SELECT coalesce(max(log_id), 0) FROM main.ingest_log", "SELECT coalesce(max(log_id), 0) FROM main.ingest_log")]
    [InlineData("SELECT max(coalesce(a, b)) FROM t", "SELECT max(coalesce(a, b)) FROM t")]
    public void SQLite_max_of_several_values_becomes_greatest_and_the_aggregate_stays(string sqlite, string postgres) =>
        Assert.Equal(postgres, PostgresDialect.Instance.Translate(sqlite));
}
