using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Vigil.WardConsole.Security;

namespace Vigil.WardConsole.Storage;

/// <summary>
/// The embedded store: one SQLite file (write-ahead log), tables <c>audit</c>, <c>alerts</c> and
/// <c>results</c>. Times are ISO 8601 UTC text of fixed width, so text order is time order; the
/// <c>audit</c> table keeps the layout of earlier versions, whose files open unchanged.
/// </summary>
internal sealed class SqliteWardStore : QueuedWardStore
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL, status INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, patient TEXT NOT NULL, kind TEXT NOT NULL, raised TEXT NOT NULL, acknowledged_by TEXT, acknowledged_at TEXT, payload TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY AUTOINCREMENT, patient TEXT NOT NULL, kind TEXT NOT NULL, time TEXT NOT NULL, payload TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS results_kind_time ON results (kind, time);
        """;

    private readonly string _connectionString;

    public SqliteWardStore(string connectionString, StorageOptions options, ILogger? log = null) : base(options, log)
    {
        SqliteConnectionStringBuilder b;
        try { b = new SqliteConnectionStringBuilder(connectionString); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new WardStoreException($"Console:Storage:ConnectionString is not a SQLite connection string: {e.Message}", e);
        }
        // Unpooled: the file is closed when the store is, so it can be moved or deleted.
        b.Pooling = false;
        _connectionString = b.ToString();
        try
        {
            using var c = Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = Schema;
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw new WardStoreException($"Console:Storage: cannot open the sqlite store '{b.DataSource}': {e.Message}", e);
        }
        StartWriter();
    }

    public override string Provider => StorageOptions.Sqlite;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    protected override Task WriteBatchAsync(IReadOnlyList<AuditEntry> audit, IReadOnlyList<AlertRow> alerts, IReadOnlyList<StoredResult> results)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        if (audit.Count > 0)
        {
            using var cmd = Command(c, tx, "INSERT INTO audit (time, actor, role, action, resource, status) VALUES ($a, $b, $c, $d, $e, $f)", 6);
            foreach (var e in audit)
            {
                Bind(cmd, IsoTime(e.Time), e.Actor, e.Role, e.Action, e.Resource, e.Status);
                cmd.ExecuteNonQuery();
            }
        }
        if (alerts.Count > 0)
        {
            // A stored acknowledgement wins: a late copy of the raised alert must not reopen it.
            using var cmd = Command(c, tx, """
                INSERT INTO alerts (id, patient, kind, raised, acknowledged_by, acknowledged_at, payload) VALUES ($a, $b, $c, $d, $e, $f, $g)
                ON CONFLICT (id) DO UPDATE SET acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at, payload = excluded.payload
                WHERE alerts.acknowledged_by IS NULL
                """, 7);
            foreach (var a in alerts)
            {
                Bind(cmd, a.Id, a.PatientId, a.Kind, IsoTime(a.Raised), a.AcknowledgedBy, a.AcknowledgedAt is { } t ? IsoTime(t) : null, a.Payload);
                cmd.ExecuteNonQuery();
            }
        }
        if (results.Count > 0)
        {
            using var cmd = Command(c, tx, "INSERT INTO results (patient, kind, time, payload) VALUES ($a, $b, $c, $d)", 4);
            foreach (var r in results)
            {
                Bind(cmd, r.PatientId, r.Kind, IsoTime(r.Time), r.Payload);
                cmd.ExecuteNonQuery();
            }
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    // A prepared command whose parameters are $a, $b, ... in order.
    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) cmd.Parameters.Add(new SqliteParameter { ParameterName = "$" + (char)('a' + i) });
        cmd.Prepare();
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    protected override Task<IReadOnlyList<AuditEntry>> ReadAuditCoreAsync(int limit, CancellationToken cancellationToken)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT time, actor, role, action, resource, status FROM audit ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        var list = new List<AuditEntry>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new AuditEntry(ParseTime(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)));
        return Task.FromResult<IReadOnlyList<AuditEntry>>(list);
    }

    protected override Task<IReadOnlyList<string>> LoadAlertPayloadsAsync(CancellationToken cancellationToken)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT payload FROM alerts ORDER BY raised, id";
        var list = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(r.GetString(0));
        return Task.FromResult<IReadOnlyList<string>>(list);
    }

    protected override Task<IReadOnlyList<StoredResult>> LoadResultsCoreAsync(string kind, DateTimeOffset since, int perPatient, CancellationToken cancellationToken)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT patient, kind, time, payload FROM (
              SELECT id, patient, kind, time, payload, ROW_NUMBER() OVER (PARTITION BY patient ORDER BY time DESC, id DESC) AS rn
              FROM results WHERE kind = $k AND time >= $s)
            WHERE rn <= $n ORDER BY time, id
            """;
        cmd.Parameters.AddWithValue("$k", kind);
        cmd.Parameters.AddWithValue("$s", IsoTime(since));
        cmd.Parameters.AddWithValue("$n", perPatient);
        var list = new List<StoredResult>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new StoredResult(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), r.GetString(3)));
        return Task.FromResult<IReadOnlyList<StoredResult>>(list);
    }
}
