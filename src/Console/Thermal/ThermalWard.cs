using System.Collections.Concurrent;
using System.Text.Json;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Blinks;
using Vigil.Infrared.Breathing;
using Vigil.WardConsole.Live;
using Vigil.WardConsole.Storage;

namespace Vigil.WardConsole.Thermal;

/// <summary>
/// What the console knows from the ward's thermal cameras (Vigil.Infrared): per patient, bounded
/// histories of breathing-rate windows, blinks, action-unit intensities and dyspnea events, each on
/// the wall clock (the patient's stream time zero is given at admission). Every record is published to
/// the <see cref="LiveHub"/> (<c>rr</c>, <c>blink</c>, <c>au</c>, <c>dyspnea</c>) and, with a store,
/// enqueued as a kept result of the same kind, so a restarted console serves it again
/// (<see cref="Restore"/>). Thread-safe and never blocking: called from the graphs' stages.
/// </summary>
public sealed class ThermalWard
{
    private readonly ConcurrentDictionary<string, Patient> _patients = new(StringComparer.Ordinal);
    private readonly LiveHub _hub;
    private readonly int _history;
    private readonly IWardStore? _store;

    /// <summary>Result kinds this ward keeps in the store, as its live event types.</summary>
    public static readonly IReadOnlyList<string> StoredKinds = ["rr", "blink", "au", "dyspnea"];

    /// <summary>Creates the ward; each history keeps <paramref name="historyPerPatient"/> entries; <paramref name="store"/> (optional) keeps every record.</summary>
    public ThermalWard(LiveHub hub, int historyPerPatient, IWardStore? store = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyPerPatient, 1);
        _hub = hub;
        _history = historyPerPatient;
        _store = store;
    }

    /// <summary>
    /// Admits a patient whose thermal streams' time zero is <paramref name="streamStart"/> (wall clock);
    /// a live patient keeps its start, a patient known only from the store starts a new stream clock
    /// and keeps its restored history.
    /// </summary>
    public void Admit(string patientId, DateTimeOffset streamStart) =>
        _patients.AddOrUpdate(patientId, _ => new Patient(streamStart, restored: false), (_, old) => old.Restored ? old.Live(streamStart) : old);

    /// <summary>
    /// Puts back stored records (kinds in <see cref="StoredKinds"/>; others are ignored) without
    /// publishing them: called at start, before the graphs run.
    /// </summary>
    public void Restore(IEnumerable<StoredResult> results)
    {
        foreach (var r in results)
        {
            switch (r.Kind)
            {
                case "rr":
                    var stored = Read<StoredBreathing>(r);
                    Add(Restored(r.PatientId, stored.StreamStart).Breathing, BreathingPoint.Of(stored.Window, stored.StreamStart));
                    break;
                case "blink":
                    var blink = Read<BlinkPoint>(r);
                    Add(Restored(r.PatientId, blink.Start).Blinks, blink);
                    break;
                case "au":
                    var au = Read<ActionUnitPoint>(r);
                    Add(Restored(r.PatientId, au.Time).ActionUnits, au);
                    break;
                case "dyspnea":
                    var d = Read<DyspneaPoint>(r);
                    Add(Restored(r.PatientId, d.Time).Dyspnea, d);
                    break;
            }
        }
    }

    /// <summary>Monitored patients, sorted.</summary>
    public IReadOnlyList<string> PatientIds => _patients.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Whether <paramref name="patientId"/> is monitored.</summary>
    public bool Knows(string patientId) => _patients.ContainsKey(patientId);

    /// <summary>The wall-clock time of the patient's stream time zero, or null.</summary>
    public DateTimeOffset? StreamStart(string patientId) => _patients.TryGetValue(patientId, out var p) ? p.Start : null;

    /// <summary>Records a breathing window of an admitted patient and publishes it (<c>rr</c>).</summary>
    public BreathingPoint Record(BreathingWindow window)
    {
        var p = Get(window.PatientId);
        var point = BreathingPoint.Of(window, p.Start);
        Add(p.Breathing, point);
        Keep("rr", point.PatientId, point.End, new StoredBreathing(p.Start, window));
        _hub.Publish("rr", point);
        return point;
    }

    /// <summary>Records a blink (frame clock, ms from the stream's time zero) and publishes it (<c>blink</c>).</summary>
    public BlinkPoint Record(string patientId, BlinkEvent blink, string provenance)
    {
        var p = Get(patientId);
        var point = new BlinkPoint(patientId, p.Start.AddMilliseconds(blink.StartMs), p.Start.AddMilliseconds(blink.EndMs),
            Math.Round(blink.EndMs - blink.StartMs), Math.Round(blink.Strength, 2), provenance);
        Add(p.Blinks, point);
        Keep("blink", patientId, point.End, point);
        _hub.Publish("blink", point);
        return point;
    }

    /// <summary>Records action-unit intensities and publishes them (<c>au</c>); <paramref name="struggleUnits"/> are averaged into the struggle value.</summary>
    public ActionUnitPoint Record(ActionUnitIntensities sample, IReadOnlyCollection<int> struggleUnits)
    {
        var p = Get(sample.PatientId);
        var measured = struggleUnits.Where(sample.Intensities.ContainsKey).Select(u => sample.Intensities[u]).Where(double.IsFinite).ToArray();
        var point = new ActionUnitPoint(sample.PatientId, p.Start + sample.Time, sample.Intensities.ToDictionary(k => k.Key, k => Math.Round(k.Value, 2)),
            measured.Length > 0 ? Math.Round(measured.Average(), 2) : null, sample.Provenance);
        Add(p.ActionUnits, point);
        Keep("au", point.PatientId, point.Time, point);
        _hub.Publish("au", point);
        return point;
    }

    /// <summary>Records a dyspnea event and publishes it (<c>dyspnea</c>); returns it on the wall clock.</summary>
    public DyspneaPoint Record(DyspneaEvent e)
    {
        var p = Get(e.PatientId);
        var point = new DyspneaPoint(e.PatientId, p.Start + e.Time, e.Kind.ToString(), e.AlertActive, e.Reason);
        Add(p.Dyspnea, point);
        Keep("dyspnea", point.PatientId, point.Time, point);
        _hub.Publish("dyspnea", point);
        return point;
    }

    /// <summary>Breathing windows that ended in [from, to], oldest first.</summary>
    public IReadOnlyList<BreathingPoint> Breathing(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Read(patientId, p => p.Breathing, b => b.End, from, to);

    /// <summary>Blinks that ended in [from, to], oldest first.</summary>
    public IReadOnlyList<BlinkPoint> Blinks(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Read(patientId, p => p.Blinks, b => b.End, from, to);

    /// <summary>Action-unit samples in [from, to], oldest first.</summary>
    public IReadOnlyList<ActionUnitPoint> ActionUnits(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Read(patientId, p => p.ActionUnits, a => a.Time, from, to);

    /// <summary>Dyspnea events in [from, to], oldest first.</summary>
    public IReadOnlyList<DyspneaPoint> Dyspnea(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Read(patientId, p => p.Dyspnea, d => d.Time, from, to);

    private Patient Get(string patientId) =>
        _patients.TryGetValue(patientId, out var p) ? p : throw new InvalidOperationException($"thermal result for a patient never admitted ({patientId.Length} characters)");

    private void Keep<T>(string kind, string patientId, DateTimeOffset time, T payload) =>
        _store?.Append(new StoredResult(patientId, kind, time, JsonSerializer.Serialize(payload, StoreJson.Options)));

    private static T Read<T>(StoredResult r) =>
        JsonSerializer.Deserialize<T>(r.Payload, StoreJson.Options) ?? throw new InvalidDataException($"a stored '{r.Kind}' result is empty");

    // A patient known only from the store; its start is a placeholder until Admit gives the live one.
    private Patient Restored(string patientId, DateTimeOffset start) => _patients.GetOrAdd(patientId, _ => new Patient(start, restored: true));

    private void Add<T>(Queue<T> queue, T item)
    {
        lock (queue)
        {
            queue.Enqueue(item);
            while (queue.Count > _history) queue.Dequeue();
        }
    }

    private IReadOnlyList<T> Read<T>(string patientId, Func<Patient, Queue<T>> pick, Func<T, DateTimeOffset> time, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (!_patients.TryGetValue(patientId, out var p)) return [];
        var q = pick(p);
        lock (q) return q.Where(x => (from is null || time(x) >= from) && (to is null || time(x) <= to)).ToArray();
    }

    private sealed class Patient(DateTimeOffset start, bool restored)
    {
        public DateTimeOffset Start { get; } = start;
        public bool Restored { get; } = restored;
        public Queue<BreathingPoint> Breathing { get; private init; } = new();
        public Queue<BlinkPoint> Blinks { get; private init; } = new();
        public Queue<ActionUnitPoint> ActionUnits { get; private init; } = new();
        public Queue<DyspneaPoint> Dyspnea { get; private init; } = new();

        // The same histories under a live stream clock.
        public Patient Live(DateTimeOffset streamStart) => new(streamStart, restored: false)
        {
            Breathing = Breathing, Blinks = Blinks, ActionUnits = ActionUnits, Dyspnea = Dyspnea,
        };
    }

    // A breathing window as stored: the window on its stream clock and that clock's wall-clock zero,
    // so FHIR rebuilds the same Observation after a restart.
    private sealed record StoredBreathing(DateTimeOffset StreamStart, BreathingWindow Window);
}
