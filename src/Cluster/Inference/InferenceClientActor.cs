using Akka.Actor;
using Akka.Cluster;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// The requesting side of cluster inference (one per node, at <c>/user/vigil-infer</c>). It finds
/// model servers on members with role <c>inference</c> or <c>gpu</c>, says hello, and sends a
/// request only to a server that granted credit (<see cref="Demand"/>; every result returns one),
/// so work is pulled with backpressure. It watches the servers: the requests a dead server held are
/// sent again to another, and a result that arrives twice for a request id is dropped, so every
/// request gets exactly one result. Requests past their deadline fail with
/// <see cref="InferenceStatus.DeadlineExceeded"/>.
/// </summary>
internal sealed class InferenceClientActor : ReceiveActor, IWithTimers
{
    public const string Name = "vigil-infer";

    internal sealed record Submit(InferenceRequest Request, TaskCompletionSource<InferenceResult> Completion);
    private sealed class Sweep { public static readonly Sweep Instance = new(); }
    private sealed class Flush { public static readonly Flush Instance = new(); }

    private sealed class Pending(InferenceRequest request, TaskCompletionSource<InferenceResult> completion)
    {
        public InferenceRequest Request { get; } = request;
        public TaskCompletionSource<InferenceResult> Completion { get; } = completion;
        public IActorRef? Server { get; set; }
    }

    private sealed class Server(IActorRef actor, string model, string version)
    {
        public IActorRef Actor { get; } = actor;
        public string Key { get; } = model + "\n" + version;
        public int Credits { get; set; }
        public HashSet<Guid> Held { get; } = new();
    }

    private readonly Dictionary<Guid, Pending> _pending = new();
    private readonly Dictionary<string, LinkedList<Guid>> _waiting = new();
    private readonly Dictionary<(IActorRef, string), Server> _servers = new();
    private readonly InferenceCounters _counters;
    private readonly Dictionary<Address, Member> _members = new();
    private long _duplicates;
    private int _sweeps;
    private bool _flushPending;

    public ITimerScheduler Timers { get; set; } = null!;

    public InferenceClientActor(InferenceCounters counters)
    {
        _counters = counters;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.CurrentClusterState>(s => { foreach (var m in s.Members) Hello(m); });
        Receive<ClusterEvent.MemberUp>(up => Hello(up.Member));
        Receive<ClusterEvent.MemberRemoved>(r => _members.Remove(r.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Demand>(d =>
        {
            var key = (Sender, d.Model + "\n" + d.Version);
            if (!_servers.TryGetValue(key, out var server))
            {
                _servers[key] = server = new Server(Sender, d.Model, d.Version);
                Context.Watch(Sender);
            }
            server.Credits += d.Credits;
            Dispatch(server.Key);
        });
        Receive<Submit>(s =>
        {
            if (_pending.ContainsKey(s.Request.Id)) { s.Completion.TrySetException(new ArgumentException($"request id {s.Request.Id} is already in flight")); return; }
            _pending[s.Request.Id] = new Pending(s.Request, s.Completion);
            _counters.RequestStarted();
            Enqueue(s.Request.ModelId + "\n" + s.Request.ModelVersion, s.Request.Id, front: false);
            // Requests are sent on a Flush to ourselves, which comes after the submits already in
            // the mailbox: everything that arrived meanwhile leaves in one remote message per server.
            if (!_flushPending) { _flushPending = true; Self.Tell(Flush.Instance); }
        });
        Receive<Flush>(_ =>
        {
            _flushPending = false;
            foreach (var key in _waiting.Keys.ToList()) Dispatch(key);
        });
        Receive<InferDone>(done =>
        {
            var keys = new HashSet<string>();
            foreach (var result in done.Results)
            {
                var key = (Sender, result.ModelId + "\n" + result.ModelVersion);
                if (_servers.TryGetValue(key, out var server))
                {
                    server.Credits++;
                    server.Held.Remove(result.RequestId);
                    keys.Add(server.Key);
                }
                if (_pending.Remove(result.RequestId, out var p))
                {
                    _counters.RequestDone();
                    p.Completion.TrySetResult(result);
                }
                else _duplicates++;
            }
            foreach (var key in keys) Dispatch(key);
        });
        Receive<Terminated>(t =>
        {
            // The server's node died or left: what it held goes to the front of the queue again.
            foreach (var (k, server) in _servers.Where(s => s.Key.Item1.Equals(t.ActorRef)).ToList())
            {
                _servers.Remove(k);
                foreach (var id in server.Held)
                    if (_pending.TryGetValue(id, out var p)) { p.Server = null; Enqueue(server.Key, id, front: true); }
                Dispatch(server.Key);
            }
        });
        Receive<Sweep>(_ =>
        {
            ExpireOverdue();
            // A member's servers may start after it is Up (a hello to them is then lost): say hello
            // again every second; a server grants credit to a requester once, so repeats cost nothing.
            if (++_sweeps % 10 != 0) return;
            foreach (var m in _members.Values.ToList()) Hello(m);
        });
        Receive<GetDuplicates>(_ => Sender.Tell(_duplicates));
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, TimeSpan.FromMilliseconds(100));
    }

    internal sealed class GetDuplicates { public static readonly GetDuplicates Instance = new(); }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var p in _pending.Values) p.Completion.TrySetCanceled();
    }

    private void Hello(Member m)
    {
        if (m.Status != MemberStatus.Up || !(m.HasRole(NodeRoles.Inference) || m.HasRole(NodeRoles.Gpu))) return;
        _members[m.Address] = m;
        Context.ActorSelection(new RootActorPath(m.Address) / "user" / ModelDirectoryActor.Name).Tell(ClientHello.Instance);
    }

    private void Enqueue(string key, Guid id, bool front)
    {
        if (!_waiting.TryGetValue(key, out var q)) _waiting[key] = q = new LinkedList<Guid>();
        if (front) q.AddFirst(id); else q.AddLast(id);
    }

    private void Dispatch(string key)
    {
        if (!_waiting.TryGetValue(key, out var q) || q.Count == 0) return;
        var outgoing = new Dictionary<Server, List<InferenceRequest>>();
        while (q.Count > 0)
        {
            // The server with the most credit left: a fast server returns credit sooner, so takes more.
            Server? best = null;
            foreach (var s in _servers.Values)
                if (s.Key == key && s.Credits > 0 && (best is null || s.Credits > best.Credits)) best = s;
            if (best is null) break;
            var id = q.First!.Value;
            q.RemoveFirst();
            if (!_pending.TryGetValue(id, out var p)) continue;
            best.Credits--;
            best.Held.Add(id);
            p.Server = best.Actor;
            if (!outgoing.TryGetValue(best, out var list)) outgoing[best] = list = new List<InferenceRequest>();
            list.Add(p.Request);
        }
        // One remote message per server (within a byte budget) instead of one per request.
        foreach (var (server, requests) in outgoing)
            foreach (var chunk in ModelServerActor.Chunks(requests, FrameCodec.SizeOf))
                server.Actor.Tell(new InferWork(chunk));
    }

    private void ExpireOverdue()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var p in _pending.Values.Where(p => p.Request.Deadline <= now).ToList())
        {
            _pending.Remove(p.Request.Id);
            _counters.RequestDone();
            string where = p.Server is null ? "no server with credit for it" : $"held by {p.Server.Path.Address}";
            p.Completion.TrySetResult(new InferenceResult(p.Request.Id, InferenceStatus.DeadlineExceeded, p.Request.ModelId, p.Request.ModelVersion,
                "", "", p.Request.InputIdentity, $"request {p.Request.Id} for model {p.Request.ModelId} v{p.Request.ModelVersion} passed its deadline {p.Request.Deadline:O} ({where})", []));
        }
    }
}
