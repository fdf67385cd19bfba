using System.Collections.Concurrent;
using System.Text.Json;
using Vigil.Ppg;
using Vigil.WardConsole.Live;
using Vigil.WardConsole.Storage;

namespace Vigil.WardConsole.Ward;

/// <summary>
/// What the console knows about the ward: patients, each one's recent heart-rate windows (a bounded
/// history), and alerts. Every change is published to the <see cref="LiveHub"/> and, with a store,
/// enqueued for it (heart-rate windows as results of kind <see cref="HeartRateKind"/>; alerts with
/// their acknowledgement). Thread-safe; called from the graphs' result callbacks, so nothing here blocks.
/// </summary>
public sealed class WardState
{
    private readonly ConcurrentDictionary<string, Patient> _patients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WardAlert> _alerts = new(StringComparer.Ordinal);
    private readonly LiveHub _hub;
    private readonly int _history;
    private readonly TimeProvider _time;
    private readonly IWardStore? _store;

    /// <summary>The stored result kind of a heart-rate window.</summary>
    public const string HeartRateKind = "hr";

    /// <summary>Creates the ward; <paramref name="historyPerPatient"/> windows are kept per patient; changes go to <paramref name="store"/> when given.</summary>
    public WardState(LiveHub hub, int historyPerPatient, TimeProvider? time = null, IWardStore? store = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyPerPatient, 1);
        _hub = hub;
        _history = historyPerPatient;
        _time = time ?? TimeProvider.System;
        _store = store;
    }

    /// <summary>Raised (on the caller's thread) for every window recorded; alert rules subscribe here.</summary>
    public event Action<HeartRatePoint>? HeartRateRecorded;

    /// <summary>Adds a patient whose stream time zero is <paramref name="streamStart"/> (wall clock); a known patient keeps its start.</summary>
    public void Admit(string patientId, DateTimeOffset streamStart) => _patients.GetOrAdd(patientId, id => new Patient(id)).StartAt(streamStart);

    /// <summary>Patient ids, sorted.</summary>
    public IReadOnlyList<string> PatientIds => _patients.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Whether <paramref name="patientId"/> is on the ward.</summary>
    public bool Knows(string patientId) => _patients.ContainsKey(patientId);

    /// <summary>Records a pipeline result (admitting the patient with time zero now − window end when unknown) and publishes it.</summary>
    public HeartRatePoint Record(PpgWindowResult result)
    {
        var p = _patients.GetOrAdd(result.PatientId, id => new Patient(id));
        var start = p.StartAt(_time.GetUtcNow().AddSeconds(-result.WindowEndSeconds));
        var point = Point(result, start);
        Keep(p, point);
        _store?.Append(new StoredResult(point.PatientId, HeartRateKind, point.End, JsonSerializer.Serialize(new StoredHeartRate(start, result), StoreJson.Options)));
        _hub.Publish("hr", point);
        HeartRateRecorded?.Invoke(point);
        return point;
    }

    private static HeartRatePoint Point(PpgWindowResult result, DateTimeOffset streamStart)
    {
        var shown = result.Status != PpgStatus.Withheld && double.IsFinite(result.Bpm);
        return new HeartRatePoint(result.PatientId, result.WindowIndex, streamStart.AddSeconds(result.WindowStartSeconds), streamStart.AddSeconds(result.WindowEndSeconds),
            shown ? Math.Round(result.Bpm, 1) : null, Math.Round(result.Confidence, 3), result.Status.ToWire(), result.Reason, result.Provenance, result);
    }

    private void Keep(Patient p, HeartRatePoint point)
    {
        lock (p.History)
        {
            p.History.Enqueue(point);
            while (p.History.Count > _history) p.History.Dequeue();
        }
    }

    /// <summary>
    /// Puts back what a store kept (at start, before the graphs run): alerts with their
    /// acknowledgements and stored heart-rate windows (oldest first). Nothing is published or stored
    /// again. A restored patient's stream clock starts anew with its next live window.
    /// </summary>
    public void Restore(IEnumerable<WardAlert> alerts, IEnumerable<StoredResult> heartRates)
    {
        foreach (var a in alerts) _alerts.TryAdd(a.Id, a);
        foreach (var r in heartRates)
        {
            if (r.Kind != HeartRateKind) continue;
            var stored = JsonSerializer.Deserialize<StoredHeartRate>(r.Payload, StoreJson.Options) ?? throw new InvalidDataException("a stored heart-rate window is empty");
            Keep(_patients.GetOrAdd(r.PatientId, id => new Patient(id)), Point(stored.Result, stored.StreamStart));
        }
    }

    /// <summary>The newest window of <paramref name="patientId"/>, or null.</summary>
    public HeartRatePoint? Latest(string patientId)
    {
        if (!_patients.TryGetValue(patientId, out var p)) return null;
        lock (p.History) return p.History.Count == 0 ? null : p.History.Last();
    }

    /// <summary>Windows of <paramref name="patientId"/> that ended in [from, to], oldest first; empty for an unknown patient.</summary>
    public IReadOnlyList<HeartRatePoint> History(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (!_patients.TryGetValue(patientId, out var p)) return [];
        lock (p.History)
            return p.History.Where(h => (from is null || h.End >= from) && (to is null || h.End <= to)).ToArray();
    }

    /// <summary>Files an alert and publishes it.</summary>
    public void Raise(WardAlert alert)
    {
        if (!_alerts.TryAdd(alert.Id, alert)) return;
        _store?.Save(alert);
        _hub.Publish("alert", alert);
    }

    /// <summary>Whether <paramref name="patientId"/> has an unacknowledged alert of <paramref name="kind"/>.</summary>
    public bool HasOpenAlert(string patientId, string kind) =>
        _alerts.Values.Any(a => a.PatientId == patientId && a.Kind == kind && a.AcknowledgedBy is null);

    /// <summary>Alerts, newest first.</summary>
    public IReadOnlyList<WardAlert> Alerts => _alerts.Values.OrderByDescending(a => a.Raised).ThenByDescending(a => a.Id, StringComparer.Ordinal).ToArray();

    /// <summary>The alert <paramref name="id"/>, or null.</summary>
    public WardAlert? Alert(string id) => _alerts.GetValueOrDefault(id);

    /// <summary>Acknowledges alert <paramref name="id"/> by <paramref name="who"/>; false when unknown. Acknowledging twice keeps the first.</summary>
    public bool Acknowledge(string id, string who)
    {
        if (!_alerts.TryGetValue(id, out var a)) return false;
        lock (a)
        {
            if (a.AcknowledgedBy is not null) return true;
            a.AcknowledgedBy = who;
            a.AcknowledgedAt = _time.GetUtcNow();
            _store?.Save(a);
        }
        _hub.Publish("ack", a);
        return true;
    }

    private sealed class Patient(string id)
    {
        // Wall time of stream time zero; unknown for a patient restored from the store until its next live window.
        private DateTimeOffset? _start;

        public string Id { get; } = id;

        public Queue<HeartRatePoint> History { get; } = new();

        /// <summary>The stream start, set to <paramref name="start"/> when not yet known.</summary>
        public DateTimeOffset StartAt(DateTimeOffset start)
        {
            lock (History) return _start ??= start;
        }
    }

    // A heart-rate window as stored: the pipeline's result and the wall time of its stream's zero.
    private sealed record StoredHeartRate(DateTimeOffset StreamStart, PpgWindowResult Result);
}
