using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Vigil.WardConsole.Ward;

/// <summary>
/// The simulated scenario's alert source: a rule on the live heart rate that fires when a patient's
/// shown (not withheld) rate exceeds a threshold for a number of consecutive windows, with those
/// windows as evidence. One open alert per patient until it is acknowledged. A demonstration rule,
/// not a validated detector: its alerts say NOT FOR CLINICAL USE.
/// </summary>
public sealed class TachycardiaAlertSource : IAlertSource
{
    /// <summary>Provenance carried by every alert of this rule.</summary>
    public const string RuleId = "vigil.console.tachycardia-rule/1.0 (demonstration rule; NOT FOR CLINICAL USE)";

    private readonly double _thresholdBpm;
    private readonly int _windows;
    private readonly WardState _ward;
    private readonly ConcurrentDictionary<string, List<HeartRatePoint>> _runs = new(StringComparer.Ordinal);
    // Bounded: a reader that stops reading loses alerts rather than holding the graph's callback.
    private readonly Channel<WardAlert> _alerts = Channel.CreateBounded<WardAlert>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _sequence;
    // Alert ids must stay unique across restarts (stored alerts are reloaded): a random run prefix.
    private readonly string _run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    /// <summary>Creates the rule: <paramref name="windows"/> consecutive shown windows above <paramref name="thresholdBpm"/>.</summary>
    public TachycardiaAlertSource(WardState ward, double thresholdBpm, int windows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        _ward = ward;
        _thresholdBpm = thresholdBpm;
        _windows = windows;
    }

    /// <inheritdoc />
    public string Name => "heart-rate rule";

    /// <summary>Feeds one window (called from the ward's result path: quick and never blocking).</summary>
    public void Observe(HeartRatePoint point)
    {
        var run = _runs.GetOrAdd(point.PatientId, _ => []);
        lock (run)
        {
            if (point.Bpm is not { } bpm || point.Status == "withheld" || bpm <= _thresholdBpm) { run.Clear(); return; }
            run.Add(point);
            if (run.Count < _windows) return;
            var evidence = run.TakeLast(_windows).ToArray();
            run.Clear();
            if (_ward.HasOpenAlert(point.PatientId, "tachycardia")) return;
            var id = "alert-" + _run + "-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
            _alerts.Writer.TryWrite(new WardAlert
            {
                Id = id,
                PatientId = point.PatientId,
                Kind = "tachycardia",
                Source = Name,
                Message = FormattableString.Invariant($"heart rate above {_thresholdBpm:0} bpm for {_windows} consecutive windows"),
                Raised = point.End,
                Evidence = evidence.Select(p => FormattableString.Invariant(
                    $"window {p.WindowIndex} ending {p.End:HH:mm:ss}: {p.Bpm:0.0} bpm, confidence {p.Confidence:0.00}, {p.Status}")).ToArray(),
                Provenance = RuleId + "; heart rate by " + point.Provenance,
            });
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WardAlert> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var a in _alerts.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return a;
    }
}
