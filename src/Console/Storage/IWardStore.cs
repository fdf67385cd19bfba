using Vigil.WardConsole.Security;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Storage;

/// <summary>
/// The console's one storage seam: the audit log, alerts with acknowledgements, and kept results
/// (rows of kind + JSON). Writes only enqueue (a request or a graph callback never waits for the
/// disk) and are committed in batches by one writer; reads and <see cref="FlushAsync"/> see every
/// write enqueued before them. Implementations: SQLite (embedded, default) and PostgreSQL.
/// </summary>
public interface IWardStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgresql</c>.</summary>
    string Provider { get; }

    /// <summary>Writes enqueued and not yet committed.</summary>
    int QueueDepth { get; }

    /// <summary>Writes lost (queue full, or the store failing after retries).</summary>
    long Lost { get; }

    /// <summary>Enqueues an audit entry.</summary>
    void Append(AuditEntry entry);

    /// <summary>Enqueues the alert as it is now (raised or acknowledged); a stored acknowledgement is never overwritten.</summary>
    void Save(WardAlert alert);

    /// <summary>Enqueues a kept result.</summary>
    void Append(StoredResult result);

    /// <summary>Completes when every write enqueued before the call is committed (or given up).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> audit entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Every stored alert with its acknowledgement.</summary>
    Task<IReadOnlyList<WardAlert>> LoadAlertsAsync(CancellationToken cancellationToken = default);

    /// <summary>Results of <paramref name="kind"/> that ended at or after <paramref name="since"/>, at most the newest <paramref name="perPatient"/> per patient, oldest first.</summary>
    Task<IReadOnlyList<StoredResult>> LoadResultsAsync(string kind, DateTimeOffset since, int perPatient, CancellationToken cancellationToken = default);
}
