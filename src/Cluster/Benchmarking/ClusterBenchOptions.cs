namespace Vigil.Cluster.Benchmarking;

/// <summary>What <c>vigil bench cluster</c> runs and how big.</summary>
public sealed record ClusterBenchOptions
{
    /// <summary>Sections to run: <c>latency</c> (remote vs local inference), <c>recovery</c> (kill -9 with patients), <c>edge</c> (broker edge throughput).</summary>
    public IReadOnlySet<string> Sections { get; init; } = new HashSet<string> { "latency", "recovery", "edge" };
    /// <summary>Sequential requests per side for the latency figures.</summary>
    public int LatencySamples { get; init; } = 2000;
    /// <summary>Requests for the throughput figure.</summary>
    public int Requests { get; init; } = 20000;
    /// <summary>Requests in flight for the throughput figure.</summary>
    public int InFlight { get; init; } = 64;
    /// <summary>Patients in the kill -9 run.</summary>
    public int Patients { get; init; } = 1000;
    /// <summary>Patient-seconds pushed through the edge.</summary>
    public int EdgeMessages { get; init; } = 30000;
    /// <summary>Patients the edge messages are spread over.</summary>
    public int EdgePatients { get; init; } = 250;
    /// <summary>Persistence backend for the edge run: sqlite or postgresql.</summary>
    public string EdgeBackend { get; init; } = "sqlite";
    /// <summary>SQLite edge runs: also run with SQLite's rollback journal (<c>sqlite-wal = off</c>) and report the ratio.</summary>
    public bool EdgeCompare { get; init; }
    /// <summary>A PostgreSQL role that may create databases (the recovery run makes a fresh one).</summary>
    public string PostgresAdmin { get; init; } = "Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=vigil";
}
