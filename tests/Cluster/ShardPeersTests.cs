using Vigil.Cluster.Node;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Tests;

public sealed class ShardPeersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(5);

    private static NodeHeartbeat Beat(string node, string state = "up", string ring = "r", string roles = "shard") =>
        new(node, state, roles.Split(','), [], ring, 0, 0, 1, T0);

    [Fact]
    public void Dead_SilentLessThanExpiry_AliveThenDeadAtExpiry()
    {
        var peers = new ShardPeers("a", "r", Expiry);
        peers.Observe(Beat("b"), T0);
        Assert.Empty(peers.Dead(T0 + Expiry - TimeSpan.FromMilliseconds(1)));
        Assert.True(peers.IsAlive("b", T0 + Expiry - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(["b"], peers.Dead(T0 + Expiry));
        Assert.False(peers.IsAlive("b", T0 + Expiry));
        peers.Observe(Beat("b"), T0 + Expiry + TimeSpan.FromSeconds(1)); // back
        Assert.Empty(peers.Dead(T0 + Expiry + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ToTakeOver_OnlyTheLowestNamedLiveNodeTakesOver()
    {
        var a = new ShardPeers("a", "r", Expiry);
        var c = new ShardPeers("c", "r", Expiry);
        foreach (var p in new[] { a, c })
            foreach (var n in new[] { "a", "b", "c" }) p.Observe(Beat(n), T0);
        var later = T0 + TimeSpan.FromSeconds(6);
        // a and c keep beating; b fell silent.
        a.Observe(Beat("c"), later); c.Observe(Beat("a"), later);
        Assert.Equal(["b"], a.ToTakeOver(later, selfUp: true));
        Assert.Empty(c.ToTakeOver(later, selfUp: true));
        // a drains: c becomes the survivor that takes over; a, leaving, takes nothing.
        c.Observe(Beat("a", "draining"), later);
        Assert.Equal(["b"], c.ToTakeOver(later, selfUp: true));
        Assert.Empty(a.ToTakeOver(later, selfUp: false));
    }

    [Fact]
    public void Observe_LeftOtherRingOrNotShard_NeverTakenOver()
    {
        var peers = new ShardPeers("a", "r", Expiry);
        peers.Observe(Beat("b"), T0);
        Assert.True(peers.Knows("b"));
        peers.Observe(Beat("b", "left"), T0);
        Assert.False(peers.Knows("b"));
        peers.Observe(Beat("x", ring: "other"), T0);
        peers.Observe(Beat("y", roles: "serve"), T0);
        peers.Observe(Beat("a"), T0); // itself
        Assert.Empty(peers.ToTakeOver(T0 + TimeSpan.FromMinutes(1), selfUp: true));
        Assert.Equal(2, peers.Observed); // b twice; the rest ignored
    }
}
