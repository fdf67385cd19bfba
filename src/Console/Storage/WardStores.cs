using Microsoft.Extensions.Logging;

namespace Vigil.WardConsole.Storage;

/// <summary>Opens the store <see cref="StorageOptions.Provider"/> names.</summary>
public static class WardStores
{
    /// <summary>
    /// Opens (creating its tables when new) the configured store; for SQLite without a connection
    /// string, the file <paramref name="sqliteFile"/>. Throws <see cref="WardStoreException"/> with one
    /// line naming the setting or the store when it cannot be opened.
    /// </summary>
    public static IWardStore Open(StorageOptions options, string sqliteFile, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (options.Provider ?? "").ToLowerInvariant() switch
        {
            StorageOptions.Sqlite => new SqliteWardStore(options.ConnectionString is { Length: > 0 } cs ? cs : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = sqliteFile }.ToString(), options, log),
            StorageOptions.PostgreSql or "postgres" => new PostgresWardStore(options.ConnectionString is { Length: > 0 } pg ? pg
                : throw new WardStoreException("Console:Storage:ConnectionString is required for the postgresql provider"), options, log),
            _ => throw new WardStoreException($"Console:Storage:Provider must be sqlite or postgresql, got '{options.Provider}'"),
        };
    }
}
