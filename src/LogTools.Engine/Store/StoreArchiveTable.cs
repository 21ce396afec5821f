namespace LogTools.Engine.Store;

/// <summary>
/// What archiving means for one table of an area: Move-LogRecord copies the rows that <see cref="Rows"/> selects
/// into the monthly archive database (same schema) and deletes them from the store. An area lists its tables in
/// copy order (parents first); across areas, registration order applies, and deletes run in reverse.
/// </summary>
/// <param name="Table">The table; the area must own it.</param>
/// <param name="Key">Its primary key column.</param>
/// <param name="Rows">
/// A query of the rows to move given <c>$cutoff</c> (store time text): columns <c>month</c> ('YYYY-MM', the archive the
/// row goes to, by the area's own time column) and <c>pk</c>.
/// </param>
public sealed record StoreArchiveTable(string Table, string Key, string Rows)
{
    /// <summary>
    /// An integer key the archive already uses for another row gets a new one there. Text keys name the same entity
    /// everywhere and are kept.
    /// </summary>
    public bool RenumberOnClash { get; init; }

    /// <summary>SQL run on the copying connection before this table's rows are copied (a TEMP trigger that keeps the archive's aggregates).</summary>
    public string? BeforeCopy { get; init; }

    /// <summary>SQL run on the copying connection after the copy, in the same transaction (drops what <see cref="BeforeCopy"/> made).</summary>
    public string? AfterCopy { get; init; }
}
