using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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

    /// <summary>
    /// The number of migrations applied and each area's version (<see cref="StoreSchema.Applied"/>), read outside a
    /// transaction; null when the database holds no store tables. A server backend reads them in one round trip.
    /// </summary>
    public virtual StoreVersions? ReadVersions(DbConnection connection) =>
        new(ReadUserVersion(connection, null), StoreSchema.Applied(connection, null));

    /// <summary>The number of primary-key columns of <paramref name="table"/>; 0 when the table does not exist.</summary>
    public int KeyColumns(DbConnection connection, DbTransaction? transaction, string table) => Columns(connection, transaction, table).Count(c => c.Key > 0);

    /// <summary>The columns of <paramref name="table"/> in table order; none when the table does not exist.</summary>
    public abstract IReadOnlyList<StoreColumn> Columns(DbConnection connection, DbTransaction? transaction, string table);

    /// <summary>
    /// A column as an ORDER BY term that sorts the same on every backend: text by its UTF-8 bytes (SQLite's BINARY
    /// collation), whatever the server's locale.
    /// </summary>
    public abstract string OrderTerm(StoreColumn column);

    /// <summary>After rows were inserted with their own ids: what the backend numbers next comes after them.</summary>
    public abstract void AfterCopy(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<StoreColumn> columns);

    /// <summary>What <c>CAST(round(value) AS INTEGER)</c> gives on this backend (they round halves differently).</summary>
    public abstract long RoundToInteger(double value);

    /// <summary>
    /// Ends <paramref name="command"/>'s statement while it runs, from another thread (a stop): the statement then fails
    /// with the backend's own error. PostgreSQL's is the command's cancel request.
    /// </summary>
    public virtual void Cancel(DbCommand command) => command.Cancel();

    /// <summary>The kind of values a column declared as <paramref name="type"/> holds; null for any.</summary>
    private protected static StoreValueKind? KindOf(string type) => type.ToUpperInvariant() switch
    {
        "INTEGER" or "BIGINT" or "SMALLINT" => StoreValueKind.Integer,
        "REAL" or "DOUBLE PRECISION" => StoreValueKind.Real,
        "TEXT" => StoreValueKind.Text,
        "BLOB" or "BYTEA" => StoreValueKind.Blob,
        _ => null,
    };

    /// <summary>A column's name quoted for SQL (both backends quote with double quotes).</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Translate(string sql) => sql;

        public override string ParameterName(string name) => name;

        public override int ReadUserVersion(DbConnection connection, DbTransaction? transaction) =>
            Convert.ToInt32(Sql.Scalar(connection, transaction, "PRAGMA user_version"));

        public override void WriteUserVersion(DbConnection connection, DbTransaction? transaction, int version) =>
            Sql.Execute(connection, transaction, $"PRAGMA user_version = {version}");

        public override IReadOnlyList<StoreColumn> Columns(DbConnection connection, DbTransaction? transaction, string table)
        {
            var columns = new List<StoreColumn>();
            Sql.ForEach(
                connection, transaction, "SELECT name, pk, type FROM pragma_table_info($t) ORDER BY cid", [("$t", table)],
                r => columns.Add(new StoreColumn(r.GetString(0), r.GetInt32(1), KindOf(r.GetString(2)), Identity: false)));
            return columns;
        }

        /// <remarks>A column of any type sorts by its text, as it does on PostgreSQL, where it is text.</remarks>
        public override string OrderTerm(StoreColumn column) => column.Kind is null ? $"CAST({Quote(column.Name)} AS TEXT)" : Quote(column.Name);

        /// <remarks>round() adds a half and truncates (away from zero); the cast clamps what does not fit.</remarks>
        public override long RoundToInteger(double value) => value switch
        {
            >= 9.2233720368547758E18 => long.MaxValue,
            <= -9.2233720368547758E18 => long.MinValue,
            >= 0 => (long)(value + 0.5),
            _ => -(long)(-value + 0.5),
        };

        /// <remarks>
        /// Microsoft.Data.Sqlite's command cancel does nothing; SQLite's interrupt ends what runs on the connection
        /// (SQLITE_INTERRUPT), and a statement read a row at a time checks it between rows.
        /// </remarks>
        public override void Cancel(DbCommand command)
        {
            if (command.Connection is SqliteConnection { Handle: { } handle })
            {
                raw.sqlite3_interrupt(handle);
            }
        }

        /// <remarks>SQLite numbers a new row after the largest id there is.</remarks>
        public override void AfterCopy(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<StoreColumn> columns)
        {
        }
    }
}
