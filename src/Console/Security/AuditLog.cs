using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Vigil.WardConsole.Security;

/// <summary>
/// The audit log in SQLite: who read or acknowledged what. Writes are queued and committed in
/// batches by one writer loop, so a request never waits for the disk; <see cref="FlushAsync"/>
/// waits until everything queued before it is stored. Patient identifiers live here (that is the
/// log's purpose), never in ordinary logs.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private readonly string _connectionString;
    // Entries or flush markers (a TaskCompletionSource completed once everything before it is stored).
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>Opens (creating when new) the audit database at <paramref name="path"/>.</summary>
    public AuditLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using (var c = Open())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL, status INTEGER NOT NULL);";
            cmd.ExecuteNonQuery();
        }
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues <paramref name="entry"/>; never blocks.</summary>
    public void Record(AuditEntry entry) => _queue.Writer.TryWrite(entry);

    /// <summary>Completes when every entry recorded before the call is stored.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(done)) done.TrySetResult();
        return done.Task;
    }

    /// <summary>The newest <paramref name="limit"/> entries, newest first (after a flush).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit = 200)
    {
        await FlushAsync().ConfigureAwait(false);
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT time, actor, role, action, resource, status FROM audit ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", Math.Clamp(limit, 1, 10_000));
        var list = new List<AuditEntry>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new AuditEntry(DateTimeOffset.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)));
        return list;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditEntry>();
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 1000 && _queue.Reader.TryRead(out var item))
            {
                if (item is AuditEntry e) batch.Add(e);
                else if (item is TaskCompletionSource tcs) flushes.Add(tcs);
            }
            try
            {
                if (batch.Count > 0) Store(batch);
            }
            catch (SqliteException)
            {
                // A full or locked disk must not stop the console; the entries are lost and the next batch retries.
            }
            batch.Clear();
            foreach (var f in flushes) f.TrySetResult();
            flushes.Clear();
        }
    }

    private void Store(List<AuditEntry> batch)
    {
        using var c = Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO audit (time, actor, role, action, resource, status) VALUES ($t, $a, $r, $x, $s, $c)";
        var pt = cmd.Parameters.Add("$t", SqliteType.Text);
        var pa = cmd.Parameters.Add("$a", SqliteType.Text);
        var pr = cmd.Parameters.Add("$r", SqliteType.Text);
        var px = cmd.Parameters.Add("$x", SqliteType.Text);
        var ps = cmd.Parameters.Add("$s", SqliteType.Text);
        var pc = cmd.Parameters.Add("$c", SqliteType.Integer);
        foreach (var e in batch)
        {
            pt.Value = e.Time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            pa.Value = e.Actor; pr.Value = e.Role; px.Value = e.Action; ps.Value = e.Resource; pc.Value = e.Status;
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
