namespace Vigil.Ppg;

/// <summary>Settings of the PPG heart-rate graph (<see cref="PpgFlows.HeartRate"/>, <see cref="PpgStreamGraph"/>).</summary>
public sealed record PpgStreamGraphOptions
{
    /// <summary>Tracker settings applied to every patient.</summary>
    public PpgTrackerOptions Tracker { get; init; } = PpgTrackerOptions.Default;

    /// <summary>Batches the ingest queue of a <see cref="PpgStreamGraph"/> holds before <see cref="IPpgIngest.PostAsync"/> waits.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Most patients with live state at once per lane (the least recently active is passivated beyond it).</summary>
    public int MaxPatients { get; init; } = 100_000;

    /// <summary>A patient silent this long is passivated (state released; a later batch starts afresh); null keeps everyone.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// Per-key lanes: 1 (default) runs every patient in one fused per-key stage; N &gt; 1 runs N such
    /// stages side by side behind async boundaries (one per core), a patient always on the same one.
    /// </summary>
    public int Lanes { get; init; } = 1;

    /// <summary>
    /// Key patients with Akka's <c>GroupBy</c> (a substream per patient) instead of the per-key stage.
    /// Kept for side-by-side benchmarks only: it is several times slower for thousands of patients.
    /// </summary>
    public bool UseGroupBy { get; init; }

    /// <summary>Identity recorded in each patient's provenance (e.g. the CSV file and its hash); default <c>live:PATIENT</c>.</summary>
    public Func<string, string?>? InputIdentity { get; init; }

    internal void Validate()
    {
        Tracker.Validate();
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be at least 1.");
        if (MaxPatients < 1) throw new ArgumentOutOfRangeException(nameof(MaxPatients), MaxPatients, "MaxPatients must be at least 1.");
        if (Lanes < 1) throw new ArgumentOutOfRangeException(nameof(Lanes), Lanes, "Lanes must be at least 1.");
    }
}
