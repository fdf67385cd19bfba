using Vigil.Cluster.Node;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// What a shard node knows about the other shard nodes of its ring, from their heartbeats, and
/// the takeover rule built on it. A peer not heard from for <c>node_expiry</c> (and that did not
/// announce <c>left</c>) is dead; its queue is taken over by one survivor — the live shard node
/// with the lowest name, so every node, seeing the same heartbeats, picks the same one. The queue's
/// single-active-consumer flag makes the broker the final arbiter: should two nodes ever consume it
/// (different views, or a peer only slow, not dead), only one receives windows. A taken-over queue
/// is released when its owner is heard from again.
/// </summary>
internal sealed class ShardPeers(string self, string ring, TimeSpan expiry)
{
    private sealed record Peer(DateTimeOffset LastSeen, string State);

    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);

    /// <summary>Heartbeats accepted (from other shard nodes of this ring).</summary>
    public long Observed { get; private set; }

    /// <summary>Records a heartbeat received at <paramref name="now"/> (ignored unless from another shard node of this ring).</summary>
    public void Observe(NodeHeartbeat heartbeat, DateTimeOffset now)
    {
        if (heartbeat.Node == self || heartbeat.Ring != ring || !heartbeat.Roles.Contains("shard")) return;
        Observed++;
        if (heartbeat.State == "left") _peers.Remove(heartbeat.Node); // left gracefully: its queue is gone
        else _peers[heartbeat.Node] = new Peer(now, heartbeat.State);
    }

    /// <summary>Peers heard from within the expiry (any state but left).</summary>
    public bool IsAlive(string node, DateTimeOffset now) => _peers.TryGetValue(node, out var p) && now - p.LastSeen < expiry;

    /// <summary>True while <paramref name="node"/> is tracked (heard from, and not announced as left).</summary>
    public bool Knows(string node) => _peers.ContainsKey(node);

    /// <summary>Peers whose heartbeats expired: presumed dead (killed, or cut off).</summary>
    public IReadOnlyList<string> Dead(DateTimeOffset now) =>
        _peers.Where(p => now - p.Value.LastSeen >= expiry).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Dead peers whose queues this node should take over: all of them when this node is the
    /// lowest-named live shard node still up (not draining), none otherwise.
    /// </summary>
    public IReadOnlyList<string> ToTakeOver(DateTimeOffset now, bool selfUp)
    {
        if (!selfUp) return [];
        bool lowest = _peers.Where(p => now - p.Value.LastSeen < expiry && p.Value.State == "up")
            .All(p => string.CompareOrdinal(p.Key, self) > 0);
        return lowest ? Dead(now) : [];
    }

    /// <summary>Stops tracking <paramref name="node"/> (its queue is gone) until it is heard from again.</summary>
    public void Forget(string node) => _peers.Remove(node);

    /// <summary>How long a dead peer has been silent (for messages).</summary>
    public TimeSpan SilentFor(string node, DateTimeOffset now) => _peers.TryGetValue(node, out var p) ? now - p.LastSeen : TimeSpan.Zero;
}
