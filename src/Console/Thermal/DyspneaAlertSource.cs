using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vigil.Infrared.Alerts;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Thermal;

/// <summary>
/// The ward's dyspnea alerts: Vigil.Infrared's <see cref="DyspneaAlertStage"/> events turned into ward
/// alerts through the <see cref="IAlertSource"/> seam. Each <c>AlertRaised</c> becomes an open alert of
/// kind <c>dyspnea</c> with every criterion the stage assessed as evidence (value, threshold in force,
/// met or not, where it came from) and the card's and inputs' provenance; every event is also kept on
/// the patient's thermal timeline. Research thresholds: NOT FOR CLINICAL USE.
/// </summary>
public sealed class DyspneaAlertSource(ThermalWard thermal) : IAlertSource
{
    // Bounded: a reader that stops reading loses alerts rather than holding the graph.
    private readonly Channel<WardAlert> _alerts = Channel.CreateBounded<WardAlert>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _sequence;

    /// <inheritdoc />
    public string Name => "thermal dyspnea alert";

    /// <summary>Takes one event of the dyspnea stage (quick, never blocking).</summary>
    public void Observe(DyspneaEvent e)
    {
        var point = thermal.Record(e);
        if (e.Kind != DyspneaEventKind.AlertRaised) return;
        var provenance = e.Provenance.Contains("NOT FOR CLINICAL USE", StringComparison.Ordinal) ? e.Provenance : e.Provenance + "; NOT FOR CLINICAL USE";
        _alerts.Writer.TryWrite(new WardAlert
        {
            Id = "dyspnea-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture),
            PatientId = e.PatientId,
            Kind = "dyspnea",
            Source = Name,
            Message = e.Reason,
            Raised = point.Time,
            Evidence = e.Evidence.Select(Line).ToArray(),
            Provenance = provenance,
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WardAlert> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var a in _alerts.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return a;
    }

    private static string Line(DyspneaEvidence e) =>
        (double.IsFinite(e.Value)
            ? FormattableString.Invariant($"{e.Kind}: {e.Value:0.##} {e.Unit}")
            : $"{e.Kind}: not measurable") +
        FormattableString.Invariant($" ({(e.Met ? "met" : "not met")}, threshold {e.Threshold:0.##} {e.Unit}) — {e.Detail}");
}
