using Akka.Actor;

namespace Vigil.Ppg.Actors;

/// <summary>
/// Keyed per-patient entities on plain Akka actors (cluster sharding can take this role later): the
/// ward routes each <see cref="PpgSampleBatch"/> to its patient's <see cref="PpgPatientActor"/>,
/// creating it on the patient's first batch. It watches every child: a patient idle for
/// <see cref="PpgStreamGraphOptions.IdleTimeout"/> is passivated (stopped, <see cref="Passivated"/> told to the subscriber; batches that arrive while it
/// stops are buffered and go to its next incarnation, none lost), at most
/// <see cref="PpgStreamGraphOptions.MaxPatients"/> are live (the least recently active is passivated),
/// and a child that throws unexpectedly is restarted alone (<see cref="PatientSupervision"/>), so one
/// patient's failure never touches another's state.
/// </summary>
public sealed class PpgWardActor : ReceiveActor
{
    private readonly PpgStreamGraphOptions _options;
    private readonly IActorRef _subscriber;
    private readonly Dictionary<string, LinkedListNode<Entry>> _live = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // least recently active first
    // Patients whose actor is stopping, with batches that arrived meanwhile.
    private readonly Dictionary<string, Queue<PpgSampleBatch>> _stopping = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _patientOf = new();
    private long _incarnation;

    /// <summary>Creates the ward (use <see cref="Props"/>).</summary>
    public PpgWardActor(PpgStreamGraphOptions options, IActorRef subscriber)
    {
        _options = options;
        _subscriber = subscriber;
        Receive<PpgSampleBatch>(Route);
        Receive<Idle>(m => { if (_live.TryGetValue(m.Patient, out var node)) Passivate(node); });
        Receive<Terminated>(OnTerminated);
        Receive<GetLivePatients>(_ => Sender.Tell(new LivePatients(_recency.Select(e => e.Patient).ToList())));
        Receive<GetPatientStatus>(m =>
        {
            if (_live.TryGetValue(m.Patient, out var node)) node.Value.Actor.Forward(m);
            else Sender.Tell(new PatientStatus(m.Patient, Live: false, WindowsEmitted: 0));
        });
    }

    /// <summary>Props of a ward whose patients tell their results and refusals to <paramref name="subscriber"/>.</summary>
    public static Props Props(PpgStreamGraphOptions options, IActorRef subscriber) =>
        Akka.Actor.Props.Create(() => new PpgWardActor(options, subscriber));

    /// <summary>Unexpected failures restart only the failing patient (its tracker starts afresh).</summary>
    public static SupervisorStrategy PatientSupervision { get; } = new OneForOneStrategy(_ => Directive.Restart);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => PatientSupervision;

    /// <summary>Sent by a patient actor that has been idle for the timeout.</summary>
    /// <param name="Patient">The idle patient.</param>
    public sealed record Idle(string Patient);

    /// <summary>Asks the ward which patients have a live actor; answered with <see cref="LivePatients"/>.</summary>
    public sealed record GetLivePatients
    {
        /// <summary>The one instance.</summary>
        public static GetLivePatients Instance { get; } = new();
    }

    /// <summary>Asks for one patient's status; answered by the patient's actor (after every batch sent before it) with <see cref="PatientStatus"/>.</summary>
    /// <param name="Patient">The patient.</param>
    public sealed record GetPatientStatus(string Patient);

    /// <summary>A patient's status.</summary>
    /// <param name="Patient">The patient.</param>
    /// <param name="Live">Whether it has a live actor (and state).</param>
    /// <param name="WindowsEmitted">Windows emitted by the current incarnation.</param>
    public sealed record PatientStatus(string Patient, bool Live, long WindowsEmitted);

    /// <summary>Told to the subscriber when a patient's actor has stopped and its state is released.</summary>
    /// <param name="Patient">The patient.</param>
    public sealed record Passivated(string Patient);

    /// <summary>The patients with a live actor, least recently active first.</summary>
    /// <param name="Patients">Patient ids.</param>
    public sealed record LivePatients(IReadOnlyList<string> Patients);

    private sealed record Entry(string Patient, IActorRef Actor);

    private void Route(PpgSampleBatch batch)
    {
        if (_stopping.TryGetValue(batch.PatientId, out var waiting)) { waiting.Enqueue(batch); return; }
        if (_live.TryGetValue(batch.PatientId, out var node))
        {
            _recency.Remove(node);
            _recency.AddLast(node);
        }
        else
        {
            if (_live.Count >= _options.MaxPatients) Passivate(_recency.First!);
            node = Start(batch.PatientId);
        }
        node.Value.Actor.Forward(batch);
    }

    private LinkedListNode<Entry> Start(string patient)
    {
        // A fresh name per incarnation: the previous one may still be terminating.
        var child = Context.ActorOf(PpgPatientActor.Props(patient, _options, _subscriber), $"patient-{++_incarnation}");
        Context.Watch(child);
        _patientOf[child] = patient;
        var node = _recency.AddLast(new Entry(patient, child));
        _live[patient] = node;
        return node;
    }

    private void Passivate(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _live.Remove(node.Value.Patient);
        _stopping[node.Value.Patient] = new Queue<PpgSampleBatch>();
        Context.Stop(node.Value.Actor);
    }

    private void OnTerminated(Terminated t)
    {
        if (!_patientOf.Remove(t.ActorRef, out var patient)) return;
        if (_live.TryGetValue(patient, out var node) && node.Value.Actor.Equals(t.ActorRef))
        {
            // Stopped without passivation (should not happen under Restart supervision): forget it.
            _recency.Remove(node);
            _live.Remove(patient);
        }
        _subscriber.Tell(new Passivated(patient));
        if (_stopping.Remove(patient, out var waiting) && waiting.Count > 0)
        {
            var next = Start(patient);
            foreach (var batch in waiting) next.Value.Actor.Tell(batch);
        }
    }
}
