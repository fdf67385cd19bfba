using Vigil.WardConsole.Security;
using Vigil.WardConsole.Storage;

namespace Vigil.WardConsole;

/// <summary>
/// Settings of the ward console, bound from the configuration section <c>"Console"</c>
/// (appsettings.json, environment variables such as <c>Console__Port</c>, command line).
/// </summary>
public sealed class ConsoleOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Console";

    /// <summary>Loopback TCP port Kestrel listens on; 0 picks a free one. Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Address Kestrel binds. Default <c>127.0.0.1</c> (loopback only).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Simulated patients whose generated wrist signals run through the PPG graph. Default 0 (none).</summary>
    public int WardSimulation { get; set; }

    /// <summary>API keys (stored as SHA-256 hashes) and their roles.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>SQLite file of the console's store (audit log, alerts, result history) when <see cref="Storage"/> names no connection string. Default <c>vigil-audit.db</c> in the working directory.</summary>
    public string AuditDatabase { get; set; } = "vigil-audit.db";

    /// <summary>Events a live (SSE) client may have queued before further events to it are dropped (and counted). Default 256.</summary>
    public int LiveClientBuffer { get; set; } = 256;

    /// <summary>Heart-rate windows kept per patient for history and FHIR search. Default 1800 (an hour at a 2 s hop).</summary>
    public int HistoryPerPatient { get; set; } = 1800;

    /// <summary>Folder of model cards listed by <c>/api/models</c>; null lists none.</summary>
    public string? ModelsFolder { get; set; }

    /// <summary>A bone-age <c>report.csv</c> (from <c>vigil boneage score</c>) served as reports; null serves none.</summary>
    public string? BoneAgeReports { get; set; }

    /// <summary>OTLP endpoint for metrics and traces (e.g. <c>http://localhost:4317</c>); null: metrics only at <c>/metrics</c>, spans not exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Heart rate (BPM) above which the demonstration alert rule fires. Default 130.</summary>
    public double TachycardiaBpm { get; set; } = 130;

    /// <summary>Consecutive shown windows above <see cref="TachycardiaBpm"/> before the rule fires. Default 3.</summary>
    public int TachycardiaWindows { get; set; } = 3;

    /// <summary>The store: SQLite (default) or PostgreSQL (section <c>Console:Storage</c>).</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>
    /// Whether <c>/metrics</c> needs a key (any role). Null (default): only when <see cref="BindAddress"/>
    /// is not a loopback address, so a console reachable from the network never serves it anonymously.
    /// </summary>
    public bool? MetricsRequireKey { get; set; }

    /// <summary>Whether <c>/metrics</c> needs a key under these options (see <see cref="MetricsRequireKey"/>).</summary>
    public bool MetricsNeedKey => MetricsRequireKey ?? !IsLoopback(BindAddress);

    private static bool IsLoopback(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    /// <summary>A folder of <c>vigil video run</c> results (each subfolder one run) served as video timelines; null serves none.</summary>
    public string? VideoResults { get; set; }

    /// <summary>Simulated beds (the first of <see cref="WardSimulation"/>) that also get thermal cameras: breathing, blinks, AU, dyspnea alerts. Default 3.</summary>
    public int ThermalBeds { get; set; } = 3;
}
