using System.Collections.Concurrent;
using System.Data.Common;

namespace LogTools.Engine.Store;

/// <summary>
/// What differs between the SQL of the store's backends. Areas write their SQL once, in the subset SQLite and
/// PostgreSQL share, with SQLite's spelling of the few words they do not (parameters, column types); a dialect turns
/// that text into its backend's, and answers the few questions that have no common SQL (schema version, key columns).
/// </summary>
internal abstract class SqlDialect
{
    private static readonly ConcurrentDictionary<Type, SqlDialect> ByConnection = new();

    /// <summary>SQLite's: the text as written. Also the dialect of a connection no backend registered (a foreign SQLite database).</summary>
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    /// <summary>The dialect of a connection opened by a backend.</summary>
    public static SqlDialect Of(DbConnection connection) => ByConnection.GetValueOrDefault(connection.GetType(), Sqlite);

    /// <summary>A backend names the connection type it opens, once, before handing out connections.</summary>
    public static void Register(Type connectionType, SqlDialect dialect) => ByConnection[connectionType] = dialect;

    /// <summary>The statement text as this backend reads it.</summary>
    public abstract string Translate(string sql);

    /// <summary>A parameter's name as this backend's command wants it.</summary>
    public abstract string ParameterName(string name);

    /// <summary>The number of migrations recorded as applied; 0 for a new database.</summary>
    public abstract int ReadUserVersion(DbConnection connection, DbTransaction? transaction);

    public abstract void WriteUserVersion(DbConnection connection, DbTransaction? transaction, int version);

    /// <summary>The number of primary-key columns of <paramref name="table"/>; 0 when the table does not exist.</summary>
    public abstract int KeyColumns(DbConnection connection, DbTransaction? transaction, string table);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Translate(string sql) => sql;

        public override string ParameterName(string name) => name;

        public override int ReadUserVersion(DbConnection connection, DbTransaction? transaction) =>
            Convert.ToInt32(Sql.Scalar(connection, transaction, "PRAGMA user_version"));

        public override void WriteUserVersion(DbConnection connection, DbTransaction? transaction, int version) =>
            Sql.Execute(connection, transaction, $"PRAGMA user_version = {version}");

        public override int KeyColumns(DbConnection connection, DbTransaction? transaction, string table) =>
            Convert.ToInt32(Sql.Scalar(connection, transaction, "SELECT count(*) FROM pragma_table_info($t) WHERE pk > 0", ("$t", table)));
    }
}
