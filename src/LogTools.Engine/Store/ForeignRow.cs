using SQLitePCLRaw = SQLitePCL.raw;
using Statement = SQLitePCL.sqlite3_stmt;

namespace LogTools.Engine.Store;

/// <summary>The current row of a <see cref="ForeignSnapshot"/> statement, valid only during the call that hands it over.</summary>
internal readonly struct ForeignRow(Statement statement)
{
    public int Count => SQLitePCLRaw.sqlite3_column_count(statement);

    /// <summary>The kind of value SQLite holds in <paramref name="column"/>; null for NULL.</summary>
    public StoreValueKind? Kind(int column) => SQLitePCLRaw.sqlite3_column_type(statement, column) switch
    {
        SQLitePCLRaw.SQLITE_INTEGER => StoreValueKind.Integer,
        SQLitePCLRaw.SQLITE_FLOAT => StoreValueKind.Real,
        SQLitePCLRaw.SQLITE_TEXT => StoreValueKind.Text,
        SQLitePCLRaw.SQLITE_BLOB => StoreValueKind.Blob,
        _ => null,
    };

    public long Integer(int column) => SQLitePCLRaw.sqlite3_column_int64(statement, column);

    public double Real(int column) => SQLitePCLRaw.sqlite3_column_double(statement, column);

    /// <summary>A text value's bytes in the database's encoding, or a blob's, without a copy.</summary>
    public ReadOnlySpan<byte> Bytes(int column) => SQLitePCLRaw.sqlite3_column_blob(statement, column);
}
