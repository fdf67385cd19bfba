using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.Remote.Transport;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;

namespace Vigil.Cluster.Tests;

/// <summary>
/// A network partition resolved by the Split Brain Resolver with Vigil's settings (keep-majority):
/// three nodes in one process, the third cut off from the other two by Akka.Remote's throttling
/// transport (every message between them dropped in both directions, as a pulled cable would).
/// The majority side (two of three) must down the third and carry on as a two-member cluster; the
/// minority side must down itself and stop. Which side survives follows from the rule alone, so the
/// outcome is deterministic; only how long detection takes depends on the machine, hence the generous
/// wait (no timing is asserted).
/// </summary>
[Collection("broker")]
public sealed class PartitionTests
{
    private static async Task<VigilNode> StartAsync(string name, int port, int seed) =>
        await VigilNode.StartAsync(ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = {{name}}, port = {{port}}, roles = [inference] }
              seed-nodes = ["127.0.0.1:{{seed}}"]
            }
            # The throttling transport adapter lets the test drop traffic between chosen nodes; it
            # changes the address scheme, so the seed is given in Akka's own form.
            akka.remote.dot-netty.tcp.applied-adapters = [trttl]
            akka.cluster.seed-nodes = ["akka.trttl.tcp://vigil@127.0.0.1:{{seed}}"]
            # Vigil's SBR settings (keep-majority, stable-after 5s, down-all-when-unstable) with a
            # more lenient failure detector: three nodes share this test process on a busy machine,
            # and a late heartbeat between the two majority nodes must not look like a second partition.
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 6s
            """), TextWriter.Null, startEdge: false);

    private static Task<bool> CutAsync(ActorSystem from, Address to) =>
        ((RemoteActorRefProvider)((ExtendedActorSystem)from).Provider).Transport.ManagementCommand(new SetThrottle(to, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));

    [Fact]
    public async Task Partition_OneOfThree_KeepMajorityDownsTheMinorityAndTheMajorityCarriesOn()
    {
        int p1 = TestCluster.FreePort(), p2 = TestCluster.FreePort(), p3 = TestCluster.FreePort();
        var a = await StartAsync("part-a", p1, p1);
        var b = await StartAsync("part-b", p2, p1);
        var c = await StartAsync("part-c", p3, p1);
        var nodes = new[] { a, b, c };
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (nodes.Any(n => Akka.Cluster.Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up) < 3) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.All(nodes, n => Assert.Equal(3, Akka.Cluster.Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up)));
            Assert.Contains("trttl", a.Address.Protocol);

            // Pull the cable between c and the others, on both sides.
            Assert.True(await CutAsync(a.System, c.Address));
            Assert.True(await CutAsync(b.System, c.Address));
            Assert.True(await CutAsync(c.System, a.Address));
            Assert.True(await CutAsync(c.System, b.Address));

            // The minority downs itself: its actor system shuts down (run-coordinated-shutdown-when-down).
            var minorityStopped = await Task.WhenAny(c.System.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(90))) == c.System.WhenTerminated;
            Assert.True(minorityStopped, "the node cut off alone (the minority) did not down itself within 90 s");

            // The majority removed it and goes on with two reachable members, both Up.
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            bool Settled(VigilNode n)
            {
                var state = Akka.Cluster.Cluster.Get(n.System).State;
                return state.Members.Count == 2 && state.Members.All(m => m.Status == MemberStatus.Up) && state.Unreachable.Count == 0;
            }
            while (!(Settled(a) && Settled(b)) && DateTime.UtcNow < deadline) await Task.Delay(100);
            foreach (var n in new[] { a, b })
            {
                var state = Akka.Cluster.Cluster.Get(n.System).State;
                Assert.Equal(new[] { a.Address, b.Address }.OrderBy(x => x.Port), state.Members.Select(m => m.Address).OrderBy(x => x.Port));
                Assert.All(state.Members, m => Assert.Equal(MemberStatus.Up, m.Status));
                Assert.Empty(state.Unreachable);
                Assert.False(n.System.WhenTerminated.IsCompleted, $"{n.Config.Node.Name} (majority side) must keep running");
            }
        }
        finally
        {
            foreach (var n in nodes)
                if (!n.System.WhenTerminated.IsCompleted)
                    await n.System.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
