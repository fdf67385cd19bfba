namespace Vigil.WardConsole.Storage;

/// <summary>
/// Where the console keeps what it must not lose across a restart (section <c>Console:Storage</c>):
/// the audit log, alerts with their acknowledgements, and the kept result history.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The embedded default.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server (several consoles, or an operated database).</summary>
    public const string PostgreSql = "postgresql";

    /// <summary><c>sqlite</c> (default, embedded) or <c>postgresql</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// ADO.NET connection string. SQLite: null uses <c>Data Source=</c> the console's <c>AuditDatabase</c> file;
    /// PostgreSQL: required (e.g. <c>Host=127.0.0.1;Username=vigil;Password=...;Database=vigil</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How far back (hours) history is reloaded at start; alerts are always reloaded. Default 24.</summary>
    public double ReloadHours { get; set; } = 24;

    /// <summary>Most rows one transaction writes. Default 1000.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Writes that may wait in memory for the store; beyond it new writes are dropped and counted (<c>vigil.store.lost</c>). Default 1,000,000.</summary>
    public int QueueLimit { get; set; } = 1_000_000;
}
