using Microsoft.Data.Sqlite;

namespace Vigil.Cluster.Configuration;

/// <summary>
/// Puts a node's SQLite database in write-ahead-log mode before Akka.Persistence opens it. In
/// SQLite's default rollback-journal mode every snapshot commit syncs the database file and its
/// journal several times; with a write-ahead log a commit appends to one file and syncs it once
/// (<c>synchronous</c> stays FULL, so a committed snapshot survives a crash or power loss). The
/// mode is stored in the database file, so doing it once per start is enough and idempotent.
/// </summary>
internal static class SqliteJournalMode
{
    public static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        // An in-memory database keeps its "memory" journal; anything else must switch.
        if (mode is not ("wal" or "memory"))
            throw new InvalidOperationException($"SQLite database '{connection.DataSource}' refused write-ahead-log mode (journal mode is '{mode}')");
    }
}
