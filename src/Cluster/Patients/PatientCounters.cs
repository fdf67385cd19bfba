namespace Vigil.Cluster.Patients;

/// <summary>Node-wide counters of the patient entities (status output, benchmarks).</summary>
public sealed class PatientCounters
{
    private long _folded, _snapshots, _recovered;

    /// <summary>Windows folded into patient state on this node.</summary>
    public long WindowsFolded => Interlocked.Read(ref _folded);
    /// <summary>Snapshots saved on this node.</summary>
    public long SnapshotsSaved => Interlocked.Read(ref _snapshots);
    /// <summary>Patients that started on this node from a persisted snapshot (moved or restarted).</summary>
    public long PatientsRecovered => Interlocked.Read(ref _recovered);

    internal void Folded() => Interlocked.Increment(ref _folded);
    internal void Snapshotted() => Interlocked.Increment(ref _snapshots);
    internal void Recovered() => Interlocked.Increment(ref _recovered);
}
