using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Telemetry;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Storage;

/// <summary>
/// What every store shares: one queue and one writer loop that commits what is queued in batches
/// (one transaction each), retries a failing batch a few times, and then counts it lost rather than
/// stop the console. Providers supply the schema, the batch write and the reads.
/// </summary>
internal abstract class QueuedWardStore : IWardStore
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    // Audit entries, alert rows, results, or flush markers (completed once everything before them is committed).
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _batchSize, _queueLimit;
    private readonly ILogger _log;
    private Task _writer = Task.CompletedTask;
    // Writes enqueued and not yet committed or given up.
    private int _depth;
    private long _lost;

    protected QueuedWardStore(StorageOptions options, ILogger? log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueLimit, 1);
        _batchSize = options.BatchSize;
        _queueLimit = options.QueueLimit;
        _log = log ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public abstract string Provider { get; }

    /// <inheritdoc />
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <inheritdoc />
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Starts the writer loop (after the provider created its schema).</summary>
    protected void StartWriter() => _writer = Task.Run(WriteLoopAsync);

    /// <inheritdoc />
    public void Append(AuditEntry entry) => Enqueue(entry);

    /// <inheritdoc />
    public void Save(WardAlert alert)
    {
        // Taken now, under the alert's lock, so a later acknowledgement cannot tear the stored copy.
        AlertRow row;
        lock (alert) row = AlertRow.Of(alert);
        Enqueue(row);
    }

    /// <inheritdoc />
    public void Append(StoredResult result) => Enqueue(result);

    private void Enqueue(object item)
    {
        if (Interlocked.Increment(ref _depth) > _queueLimit || !_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            Interlocked.Increment(ref _lost);
        }
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(done)) done.TrySetResult();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAuditCoreAsync(Math.Clamp(limit, 1, 10_000), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WardAlert>> LoadAlertsAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return (await LoadAlertPayloadsAsync(cancellationToken).ConfigureAwait(false)).Select(AlertRow.Read).ToArray();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredResult>> LoadResultsAsync(string kind, DateTimeOffset since, int perPatient, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPatient, 1);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await LoadResultsCoreAsync(kind, since.ToUniversalTime(), perPatient, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits one batch in one transaction.</summary>
    protected abstract Task WriteBatchAsync(IReadOnlyList<AuditEntry> audit, IReadOnlyList<AlertRow> alerts, IReadOnlyList<StoredResult> results);

    /// <summary>The newest audit entries, newest first.</summary>
    protected abstract Task<IReadOnlyList<AuditEntry>> ReadAuditCoreAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Every stored alert's JSON.</summary>
    protected abstract Task<IReadOnlyList<string>> LoadAlertPayloadsAsync(CancellationToken cancellationToken);

    /// <summary>Results of a kind since a time, newest <c>perPatient</c> per patient, oldest first.</summary>
    protected abstract Task<IReadOnlyList<StoredResult>> LoadResultsCoreAsync(string kind, DateTimeOffset since, int perPatient, CancellationToken cancellationToken);

    private async Task WriteLoopAsync()
    {
        var audit = new List<AuditEntry>();
        var alerts = new List<AlertRow>();
        var results = new List<StoredResult>();
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var n = 0;
            while (n < _batchSize && _queue.Reader.TryRead(out var item))
            {
                switch (item)
                {
                    case AuditEntry e: audit.Add(e); n++; break;
                    case AlertRow a: alerts.Add(a); n++; break;
                    case StoredResult r: results.Add(r); n++; break;
                    case TaskCompletionSource f: flushes.Add(f); break;
                }
            }
            if (n > 0) await CommitAsync(audit, alerts, results, n).ConfigureAwait(false);
            Interlocked.Add(ref _depth, -n);
            audit.Clear(); alerts.Clear(); results.Clear();
            foreach (var f in flushes) f.TrySetResult();
            flushes.Clear();
        }
    }

    private async Task CommitAsync(List<AuditEntry> audit, List<AlertRow> alerts, List<StoredResult> results, int rows)
    {
        using var span = ConsoleTracing.Source.StartActivity("store.write", ActivityKind.Internal);
        span?.SetTag("db.system", Provider);
        span?.SetTag("vigil.store.rows", rows);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await WriteBatchAsync(audit, alerts, results).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < RetryDelays.Length && e is not OutOfMemoryException)
            {
                await Task.Delay(RetryDelays[attempt]).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A full disk or a database that went away must not stop the console: the batch is counted lost.
                Interlocked.Add(ref _lost, rows);
                span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                _log.LogError(new EventId(1720, "StoreWriteFailed"), "The {Provider} store lost a batch of {Rows} writes after {Attempts} attempts: {Error}",
                    Provider, rows, attempt + 1, e.GetType().Name + ": " + e.Message);
                return;
            }
        }
    }

    /// <summary>Commits what is queued, then releases the provider's resources.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
    }

    /// <summary>Releases the provider's resources (after the last batch).</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>ISO 8601 UTC with seven fraction digits: fixed width, so text order is time order.</summary>
    protected static string IsoTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses <see cref="IsoTime"/> (and the round-trip format older audit rows used).</summary>
    protected static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}
