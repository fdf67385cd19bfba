using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Vigil.WardConsole.Security;

namespace Vigil.WardConsole.Storage;

/// <summary>
/// The PostgreSQL store (Npgsql): the same three tables as SQLite, with <c>timestamptz</c> times and
/// <c>jsonb</c> payloads. Audit entries and results go in with one array insert per batch; alert
/// rows one upsert each (a batch may hold an alert and its acknowledgement).
/// </summary>
internal sealed class PostgresWardStore : QueuedWardStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS audit (id BIGSERIAL PRIMARY KEY, time TIMESTAMPTZ NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL, status INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, patient TEXT NOT NULL, kind TEXT NOT NULL, raised TIMESTAMPTZ NOT NULL, acknowledged_by TEXT, acknowledged_at TIMESTAMPTZ, payload JSONB NOT NULL);
        CREATE TABLE IF NOT EXISTS results (id BIGSERIAL PRIMARY KEY, patient TEXT NOT NULL, kind TEXT NOT NULL, time TIMESTAMPTZ NOT NULL, payload JSONB NOT NULL);
        CREATE INDEX IF NOT EXISTS results_kind_time ON results (kind, time);
        """;

    private readonly NpgsqlDataSource _source;

    public PostgresWardStore(string connectionString, StorageOptions options, ILogger? log = null) : base(options, log)
    {
        NpgsqlConnectionStringBuilder b;
        try { b = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new WardStoreException($"Console:Storage:ConnectionString is not a PostgreSQL connection string: {e.Message}", e);
        }
        // Named without the password: this line may reach a log.
        var where = $"{b.Host ?? "localhost"}:{b.Port}/{b.Database ?? b.Username}";
        _source = NpgsqlDataSource.Create(b);
        try
        {
            using var c = _source.OpenConnection();
            using var cmd = new NpgsqlCommand(Schema, c);
            cmd.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            _source.Dispose();
            throw new WardStoreException($"Console:Storage: cannot open the postgresql store at {where}: {e.Message}", e);
        }
        StartWriter();
    }

    public override string Provider => StorageOptions.PostgreSql;

    protected override async Task WriteBatchAsync(IReadOnlyList<AuditEntry> audit, IReadOnlyList<AlertRow> alerts, IReadOnlyList<StoredResult> results)
    {
        await using var c = await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync().ConfigureAwait(false);
        if (audit.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO audit (time, actor, role, action, resource, status)
                SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
                """, c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = audit.Select(e => e.Time.UtcDateTime).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = audit.Select(e => e.Actor).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = audit.Select(e => e.Role).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = audit.Select(e => e.Action).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = audit.Select(e => e.Resource).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = audit.Select(e => e.Status).ToArray() });
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        foreach (var a in alerts)
        {
            // A stored acknowledgement wins: a late copy of the raised alert must not reopen it.
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO alerts (id, patient, kind, raised, acknowledged_by, acknowledged_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (id) DO UPDATE SET acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at, payload = excluded.payload
                WHERE alerts.acknowledged_by IS NULL
                """, c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.Id });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.PatientId });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.Kind });
            cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = a.Raised.UtcDateTime });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)a.AcknowledgedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = a.AcknowledgedAt is { } t ? t.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(new NpgsqlParameter { Value = a.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        if (results.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO results (patient, kind, time, payload)
                SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])
                """, c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = results.Select(r => r.PatientId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = results.Select(r => r.Kind).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = results.Select(r => r.Time.UtcDateTime).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = results.Select(r => r.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        await tx.CommitAsync().ConfigureAwait(false);
    }

    protected override async Task<IReadOnlyList<AuditEntry>> ReadAuditCoreAsync(int limit, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("SELECT time, actor, role, action, resource, status FROM audit ORDER BY id DESC LIMIT $1");
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var list = new List<AuditEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new AuditEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)));
        return list;
    }

    protected override async Task<IReadOnlyList<string>> LoadAlertPayloadsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("SELECT payload::text FROM alerts ORDER BY raised, id");
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(r.GetString(0));
        return list;
    }

    protected override async Task<IReadOnlyList<StoredResult>> LoadResultsCoreAsync(string kind, DateTimeOffset since, int perPatient, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("""
            SELECT patient, kind, time, payload::text FROM (
              SELECT id, patient, kind, time, payload, ROW_NUMBER() OVER (PARTITION BY patient ORDER BY time DESC, id DESC) AS rn
              FROM results WHERE kind = $1 AND time >= $2) AS recent
            WHERE rn <= $3 ORDER BY time, id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = perPatient });
        var list = new List<StoredResult>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new StoredResult(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3)));
        return list;
    }

    protected override ValueTask DisposeCoreAsync() => _source.DisposeAsync();
}
