using Akka.Actor;

namespace Vigil.Actors.Wards;

/// <summary>
/// Keyed entities on plain Akka actors, one child per key (a patient), for a single node; cluster
/// sharding takes this role across nodes. The ward routes every message whose key
/// <see cref="EntityWardSettings.KeyOf"/> finds to that key's child, starting it on the key's first
/// message. An entity that tells <see cref="EntityIdle"/> is passivated (stopped; messages arriving
/// while it stops are kept and go to its next incarnation, none lost); at most
/// <see cref="EntityWardSettings.MaxLive"/> are live (the least recently active is passivated); a child
/// that throws is restarted alone (<see cref="EntitySupervision"/>), so one patient's failure never
/// touches another's state. <see cref="IEntityQuery"/> messages reach live entities only.
/// </summary>
public sealed class EntityWard : ReceiveActor
{
    private readonly EntityWardSettings _settings;
    private readonly Dictionary<string, LinkedListNode<Entry>> _live = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // least recently active first
    // Entities whose actor is stopping, with messages that arrived meanwhile (and their senders).
    private readonly Dictionary<string, Queue<(object Message, IActorRef Sender)>> _stopping = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _keyOf = new();
    private long _incarnation;

    /// <summary>Creates the ward (use <see cref="Props"/>).</summary>
    public EntityWard(EntityWardSettings settings)
    {
        settings.Validate();
        _settings = settings;
        Receive<EntityIdle>(m => { if (_live.TryGetValue(m.Key, out var node)) Passivate(node); });
        Receive<Terminated>(OnTerminated);
        Receive<GetLiveEntities>(_ => Sender.Tell(new LiveEntities(_recency.Select(e => e.Key).ToList())));
        Receive<IEntityQuery>(q =>
        {
            if (_live.TryGetValue(q.EntityKey, out var node)) node.Value.Actor.Forward(q);
            else Sender.Tell(q.NotLiveReply);
        });
        ReceiveAny(Route);
    }

    /// <summary>Props of a ward with <paramref name="settings"/>.</summary>
    public static Props Props(EntityWardSettings settings) => Akka.Actor.Props.Create(() => new EntityWard(settings));

    /// <summary>Unexpected failures restart only the failing entity (its state starts afresh).</summary>
    public static SupervisorStrategy EntitySupervision { get; } = new OneForOneStrategy(_ => Directive.Restart);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => EntitySupervision;

    private sealed record Entry(string Key, IActorRef Actor);

    private void Route(object message)
    {
        if (_settings.KeyOf(message) is not { } key) { Unhandled(message); return; }
        if (_stopping.TryGetValue(key, out var waiting)) { waiting.Enqueue((message, Sender)); return; }
        if (_live.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddLast(node);
        }
        else
        {
            if (_live.Count >= _settings.MaxLive) Passivate(_recency.First!);
            node = Start(key);
        }
        node.Value.Actor.Forward(message);
    }

    private LinkedListNode<Entry> Start(string key)
    {
        // A fresh name per incarnation: the previous one may still be terminating.
        var child = Context.ActorOf(_settings.EntityProps(key), $"entity-{++_incarnation}");
        Context.Watch(child);
        _keyOf[child] = key;
        var node = _recency.AddLast(new Entry(key, child));
        _live[key] = node;
        return node;
    }

    private void Passivate(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _live.Remove(node.Value.Key);
        _stopping[node.Value.Key] = new Queue<(object, IActorRef)>();
        Context.Stop(node.Value.Actor);
    }

    private void OnTerminated(Terminated t)
    {
        if (!_keyOf.Remove(t.ActorRef, out var key)) return;
        if (_live.TryGetValue(key, out var node) && node.Value.Actor.Equals(t.ActorRef))
        {
            // Stopped without passivation (should not happen under Restart supervision): forget it.
            _recency.Remove(node);
            _live.Remove(key);
        }
        _settings.Listener?.Tell(new EntityPassivated(key));
        if (_stopping.Remove(key, out var waiting) && waiting.Count > 0)
        {
            var next = Start(key);
            foreach (var (message, sender) in waiting) next.Value.Actor.Tell(message, sender);
        }
    }
}
