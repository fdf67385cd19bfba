using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Tests;

[Collection("broker")]
public sealed class RequestQueuesTests
{
    private static async Task<string?> RedeclareRefusalAsync(IConnection connection, string queue, string type)
    {
        await using var ch = await connection.CreateChannelAsync();
        try { await ch.QueueDeclareAsync(queue, true, false, false, RequestQueues.Arguments(type)); return null; }
        catch (OperationInterruptedException e) { return e.ShutdownReason?.ReplyText; }
    }

    [Fact]
    public async Task Declare_EmptyUnusedQueueOfOtherType_ReplacedAndLogged()
    {
        var config = Broker.Config("t-qtype");
        string queue = Topology.ModelQueue(Broker.UniqueModel("qtype"), "1");
        await using var connection = await Broker.ConnectAsync(config);
        try
        {
            await RequestQueues.DeclareAsync(connection, queue, QueueTypes.Quorum, null);
            var log = new List<string>();
            await RequestQueues.DeclareAsync(connection, queue, QueueTypes.Classic, log.Add);
            Assert.Contains(log, l => l.Contains(queue) && l.Contains("a classic queue"));
            // Now a classic queue: redeclaring as classic works, as quorum is refused.
            Assert.Null(await RedeclareRefusalAsync(connection, queue, QueueTypes.Classic));
            Assert.Contains("x-queue-type", await RedeclareRefusalAsync(connection, queue, QueueTypes.Quorum));
        }
        finally { await Broker.DeleteQueuesAsync(config, queue); }
    }

    [Fact]
    public async Task Declare_QueueOfOtherTypeHoldingMessages_ClearErrorAndQueueKept()
    {
        var config = Broker.Config("t-qtype");
        string queue = Topology.ModelQueue(Broker.UniqueModel("qtype"), "1");
        await using var connection = await Broker.ConnectAsync(config);
        try
        {
            await QuorumQueueHoldingOneMessageAsync(connection, queue);
            var e = await Assert.ThrowsAsync<QueueTypeMismatchException>(() => RequestQueues.DeclareAsync(connection, queue, QueueTypes.Classic, null));
            Assert.Contains(queue, e.Message);
            Assert.Contains("holds 1 messages", e.Message);
            Assert.Contains("request_queue_type", e.Message);
            await using var check = await connection.CreateChannelAsync();
            Assert.Equal(1u, (await check.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        finally { await Broker.DeleteQueuesAsync(config, queue); }
    }

    [Fact]
    public async Task NodeProcess_RequestQueueOfOtherTypeInUse_ExitsWithErrorNamingQueueAndFix()
    {
        var config = Broker.Config("t-qtype");
        string model = Broker.UniqueModel("qtype");
        string queue = Topology.ModelQueue(model, "1");
        await using var connection = await Broker.ConnectAsync(config);
        try
        {
            await QuorumQueueHoldingOneMessageAsync(connection, queue);
            // The node's cluster.conf leaves request_queue_type at its default, classic.
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                NodeProcess.StartAsync("qt1", NodeProcess.Conf("qt1", "serve", NodeProcess.Model(model, 4, 0))));
            Assert.Contains("exited with 1", e.Message);
            Assert.Contains($"queue {queue} exists on the broker", e.Message);
            Assert.Contains("request_queue_type", e.Message);
        }
        finally { await Broker.DeleteQueuesAsync(config, queue); }
    }

    [Fact]
    public async Task EnsureExists_QueueOfOtherTypeExists_UsedAsIs()
    {
        var config = Broker.Config("t-qtype");
        string queue = Topology.ModelQueue(Broker.UniqueModel("qtype"), "1");
        await using var connection = await Broker.ConnectAsync(config);
        try
        {
            await RequestQueues.DeclareAsync(connection, queue, QueueTypes.Quorum, null);
            await RequestQueues.EnsureExistsAsync(connection, queue, QueueTypes.Classic);
            Assert.Null(await RedeclareRefusalAsync(connection, queue, QueueTypes.Quorum));
        }
        finally { await Broker.DeleteQueuesAsync(config, queue); }
    }

    [Fact]
    public async Task EnsureExists_NoQueue_DeclaredWithConfiguredType()
    {
        var config = Broker.Config("t-qtype");
        string queue = Topology.ModelQueue(Broker.UniqueModel("qtype"), "1");
        await using var connection = await Broker.ConnectAsync(config);
        try
        {
            await RequestQueues.EnsureExistsAsync(connection, queue, QueueTypes.Classic);
            Assert.Null(await RedeclareRefusalAsync(connection, queue, QueueTypes.Classic));
        }
        finally { await Broker.DeleteQueuesAsync(config, queue); }
    }

    // A request queue of the non-default type that is in use: one persistent message waits in it.
    private static async Task QuorumQueueHoldingOneMessageAsync(IConnection connection, string queue)
    {
        await RequestQueues.DeclareAsync(connection, queue, QueueTypes.Quorum, null);
        await using var ch = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await ch.BasicPublishAsync("", queue, true, new BasicProperties { DeliveryMode = DeliveryModes.Persistent }, new byte[] { 1 });
    }
}
