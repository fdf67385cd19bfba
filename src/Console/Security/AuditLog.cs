using Vigil.WardConsole.Storage;

namespace Vigil.WardConsole.Security;

/// <summary>
/// The audit log: who read or acknowledged what, kept in the console's store (<see cref="IWardStore"/>).
/// <see cref="Record"/> only enqueues, so a request never waits for the disk; <see cref="FlushAsync"/>
/// waits until everything recorded before it is stored. Patient identifiers live here (that is the
/// log's purpose), never in ordinary logs.
/// </summary>
public sealed class AuditLog
{
    private readonly IWardStore _store;

    /// <summary>Writes to <paramref name="store"/>.</summary>
    public AuditLog(IWardStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Queues <paramref name="entry"/>; never blocks.</summary>
    public void Record(AuditEntry entry) => _store.Append(entry);

    /// <summary>Completes when every entry recorded before the call is stored.</summary>
    public Task FlushAsync() => _store.FlushAsync();

    /// <summary>The newest <paramref name="limit"/> entries, newest first (after a flush).</summary>
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit = 200) => _store.ReadAuditAsync(limit);
}
