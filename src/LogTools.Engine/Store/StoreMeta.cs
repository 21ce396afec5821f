using System.Data.Common;

namespace LogTools.Engine.Store;

/// <summary>Facts about a store database as key and text value (store_meta): when it was created, which archive batches it holds.</summary>
internal static class StoreMeta
{
    /// <summary>The value of <paramref name="key"/>, or null when the database has none.</summary>
    public static string? Get(DbConnection connection, DbTransaction? transaction, string key) =>
        Sql.Scalar(connection, transaction, "SELECT value FROM main.store_meta WHERE key = $key", ("$key", key)) as string;

    /// <summary>Sets <paramref name="key"/> inside the caller's write transaction (in the main database when another is attached).</summary>
    public static void Set(DbConnection connection, DbTransaction transaction, string key, string value) =>
        Sql.Execute(
            connection, transaction, "INSERT INTO main.store_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ("$key", key), ("$value", value));
}
