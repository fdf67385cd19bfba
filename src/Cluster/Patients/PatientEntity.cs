using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Vigil.Cluster.Configuration;
using PersistenceSettings = Vigil.Cluster.Configuration.PersistenceSettings;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Patients;

/// <summary>
/// One patient as a sharded, persistent entity. It folds the patient's windows into its function
/// (<see cref="IPatientFunction"/>) strictly in window order, and persists the state as a snapshot
/// every <see cref="PersistenceSettings.SnapshotEvery"/> windows or
/// <see cref="PersistenceSettings.SnapshotInterval"/> after the first unsaved one — not an event per
/// window (the SQL journal takes only a few hundred writes a second here). A window is answered
/// (<see cref="ReadingDone"/>) only once a saved snapshot covers it; the edge acknowledges the
/// broker message after that, so after a crash the broker redelivers exactly what came after the
/// last snapshot and the next owner recovers the same state.
/// <para>Windows that arrive ahead of a gap (a redelivery reordered them) wait for the missing one;
/// windows already folded in are not folded again: their kept output is sent once they are covered.</para>
/// </summary>
internal sealed class PatientEntity : UntypedPersistentActor, IWithTimers
{
    private const string FlushTimer = "flush";
    private readonly string _patient, _node;
    private readonly PersistenceSettings _settings;
    private readonly IPatientFunctionFactory _factory;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PatientCounters _counters;
    private IPatientFunction _function;
    private long _lastSeq = -1, _snapshotSeq = -1, _savingSeq = -1;
    private bool _saving;
    // Outputs of recent windows (covered or not), to answer a window again after a redelivery.
    private readonly SortedDictionary<long, byte[]> _outputs = new();
    // Senders waiting for their window to be covered by a snapshot.
    private readonly List<(long Seq, IActorRef Sender)> _waiting = new();
    // Windows that arrived ahead of a gap.
    private readonly SortedDictionary<long, (byte[] Payload, List<IActorRef> Senders)> _ahead = new();

    public PatientEntity(string patient, string node, PersistenceSettings settings, IPatientFunctionFactory factory, PatientCounters counters)
    {
        _patient = patient; _node = node; _settings = settings; _factory = factory; _counters = counters;
        _function = factory.Create(patient, null);
    }

    /// <summary>Props for the entity of <paramref name="patient"/>.</summary>
    public static Props Props(string patient, string node, PersistenceSettings settings, IPatientFunctionFactory factory, PatientCounters counters) =>
        Akka.Actor.Props.Create(() => new PatientEntity(patient, node, settings, factory, counters));

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => "patient-" + _patient;

    protected override void OnRecover(object message)
    {
        if (message is SnapshotOffer { Snapshot: PatientSnapshot s })
        {
            _function = _factory.Create(_patient, s.State);
            _lastSeq = _snapshotSeq = s.LastSeq;
            _outputs.Clear();
            foreach (var (seq, output) in s.Outputs) _outputs[seq] = output;
        }
        else if (message is RecoveryCompleted && _lastSeq >= 0) _counters.Recovered();
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case PatientReading r: OnReading(r, Sender); break;
            case FlushNow: Save(); break;
            case SaveSnapshotSuccess ok: OnSaved(ok.Metadata); break;
            case SaveSnapshotFailure failed:
                _saving = false;
                _log.Warning("patient {0}: snapshot failed ({1}); retrying", _patient, failed.Cause.Message);
                Timers.StartSingleTimer(FlushTimer, FlushNow.Instance, _settings.SnapshotInterval);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure: break;
            case GetPatientState:
                Sender.Tell(new PatientState(_patient, _lastSeq, _snapshotSeq, _function.Snapshot()));
                break;
            default: Unhandled(message); break;
        }
    }

    private void OnReading(PatientReading r, IActorRef sender)
    {
        if (r.Seq <= _lastSeq)
        {
            // Already folded in: a redelivery (or a retry by the edge).
            if (r.Seq <= _snapshotSeq) sender.Tell(new ReadingDone(_patient, r.Seq, _node, _outputs.GetValueOrDefault(r.Seq)));
            else _waiting.Add((r.Seq, sender));
            return;
        }
        if (r.Seq > _lastSeq + 1)
        {
            if (!_ahead.TryGetValue(r.Seq, out var held)) _ahead[r.Seq] = held = (r.Payload, new List<IActorRef>());
            held.Senders.Add(sender);
            return;
        }
        Fold(r.Seq, r.Payload, sender);
        while (_ahead.Remove(_lastSeq + 1, out var next))
        {
            Fold(_lastSeq + 1, next.Payload, next.Senders[0]);
            foreach (var extra in next.Senders.Skip(1)) _waiting.Add((_lastSeq, extra));
        }
        if (_lastSeq - Math.Max(_snapshotSeq, _savingSeq) >= _settings.SnapshotEvery) Save();
        else if (!Timers.IsTimerActive(FlushTimer)) Timers.StartSingleTimer(FlushTimer, FlushNow.Instance, _settings.SnapshotInterval);
    }

    private void Fold(long seq, byte[] payload, IActorRef sender)
    {
        byte[] output;
        try { output = _function.Process(seq, payload); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // A bad window fails alone: its output says why, the patient goes on.
            output = System.Text.Encoding.UTF8.GetBytes($"error: patient '{_patient}' window {seq}: {e.Message}");
        }
        _lastSeq = seq;
        _outputs[seq] = output;
        while (_outputs.Count > _settings.KeepOutputs && _outputs.First().Key <= _snapshotSeq) _outputs.Remove(_outputs.First().Key);
        _waiting.Add((seq, sender));
        _counters.Folded();
    }

    private void Save()
    {
        if (_saving || _lastSeq == _snapshotSeq) return;
        Timers.Cancel(FlushTimer);
        _saving = true;
        _savingSeq = _lastSeq;
        SaveSnapshot(new PatientSnapshot(_lastSeq, _function.Snapshot(), _outputs.ToList()));
    }

    private void OnSaved(SnapshotMetadata metadata)
    {
        _saving = false;
        _snapshotSeq = _savingSeq;
        _counters.Snapshotted();
        int answered = 0;
        _waiting.RemoveAll(w =>
        {
            if (w.Seq > _snapshotSeq) return false;
            w.Sender.Tell(new ReadingDone(_patient, w.Seq, _node, _outputs.GetValueOrDefault(w.Seq)));
            answered++;
            return true;
        });
        // Older snapshots are dead weight (every snapshot carries the whole state).
        if (metadata.SequenceNr > 0) DeleteSnapshots(new SnapshotSelectionCriteria(metadata.SequenceNr - 1, metadata.Timestamp.AddTicks(-1)));
        if (_lastSeq > _snapshotSeq)
        {
            if (_lastSeq - _snapshotSeq >= _settings.SnapshotEvery) Save();
            else if (!Timers.IsTimerActive(FlushTimer)) Timers.StartSingleTimer(FlushTimer, FlushNow.Instance, _settings.SnapshotInterval);
        }
    }

    private sealed class FlushNow
    {
        public static readonly FlushNow Instance = new();
    }
}
