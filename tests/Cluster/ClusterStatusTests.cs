using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Tests;

[Collection("broker")]
public sealed class ClusterStatusTests
{
    [Fact]
    public async Task ReadAsync_LiveNode_ShowsRolesModelsAndQueueDepth()
    {
        string model = Broker.UniqueModel("status");
        var config = Broker.Config("t-status", new ModelServing { Id = model, Capacity = 3 });
        // Five requests wait in the model queue before any node serves it.
        await using (var client = await RemoteInferenceClient.ConnectAsync(config))
        {
            for (int i = 0; i < 5; i++) await client.SendAsync(client.CreateRequest(model, "1", [WireTensor.FromFloats("x", [1], [1f])]));
            await using var connection = await Broker.ConnectAsync(config);
            var until = DateTime.UtcNow.AddSeconds(30);
            // The client declares the queue on its first publish: until then a passive declare fails (and closes its channel).
            async Task<uint> QueuedAsync()
            {
                await using var ch = await connection.CreateChannelAsync();
                try { return (await ch.QueueDeclarePassiveAsync(Topology.ModelQueue(model, "1"))).MessageCount; }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { return 0; }
            }
            while (await QueuedAsync() == 0 && DateTime.UtcNow < until) await Task.Delay(10);
        }
        try
        {
            var before = await ClusterStatus.ReadAsync(config, TimeSpan.FromMilliseconds(100));
            Assert.DoesNotContain(before.Nodes, n => n.Node == "t-status");
            await using var node = await ClusterNode.StartAsync(config with { Models = [config.Models[0] with { Delay = TimeSpan.FromMinutes(5) }] },
                log: TextWriter.Null);
            // Listen until the node is heard (a loaded machine may delay a heartbeat past one listening window).
            var status = await ClusterStatus.ReadAsync(config, TimeSpan.FromSeconds(1));
            for (int i = 0; i < 30 && !status.Nodes.Any(n => n.Node == "t-status"); i++)
                status = await ClusterStatus.ReadAsync(config, TimeSpan.FromSeconds(1));
            var me = Assert.Single(status.Nodes, n => n.Node == "t-status");
            Assert.Equal(["serve"], me.Roles);
            var load = Assert.Single(me.Models);
            Assert.Equal((model, "1", 3), (load.Id, load.Version, load.Capacity));
            Assert.True(load.InHand > 0, "the node holds the requests its slow model is working on");
            var depth = Assert.Single(status.Queues, q => q.Queue == Topology.ModelQueue(model, "1"));
            Assert.Equal(1u, depth.Consumers);
            Assert.Contains("t-status", status.ToText());
            Assert.Contains("\"in_hand\"", status.ToJson());
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }
}
