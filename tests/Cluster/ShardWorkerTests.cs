using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Sharding;
using Vigil.Tests.Common;

namespace Vigil.Cluster.Tests;

/// <summary>Shard worker behaviour with the worker in-process and its clock manual.</summary>
[Collection("broker")]
public sealed class ShardWorkerTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Safety;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not reached within the safety timeout");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task MovedPatientWithoutHandOff_StartsAfreshAfterHandoffTimeoutAndFlagsOutput()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shardw") with { Node = new() { Name = "t-shardw", Roles = ["shard"] }, Shard = new() { Ring = ring } };
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var connection = await Broker.ConnectAsync(config);
        await using var worker = new ShardWorker(config, connection, new SequenceCheckerFactory(), TextWriter.Null, clock);
        await worker.StartAsync();
        var outputs = new ConcurrentQueue<PatientMessage>();
        await using var ch = await connection.CreateChannelAsync();
        var q = (await ch.QueueDeclareAsync("", false, true, true)).QueueName;
        await ch.QueueBindAsync(q, Topology.ShardResultsExchange(ring), "");
        var consumer = new AsyncEventingBasicConsumer(ch);
        consumer.ReceivedAsync += (_, e) => { outputs.Enqueue(PatientMessage.Decode(e.Body.Span)); return Task.CompletedTask; };
        await ch.BasicConsumeAsync(q, true, consumer);
        try
        {
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            // Windows 7 and 8 of a patient this node never saw: its previous owner is gone.
            await publisher.PublishAsync([PatientMessage.Window("p-1", 7, new byte[8], clock.GetUtcNow()),
                                          PatientMessage.Window("p-1", 8, new byte[8], clock.GetUtcNow())]);
            await WaitUntilAsync(() => worker.HeldWindows == 2);
            Assert.Empty(outputs);
            clock.Advance(config.Timeouts.Handoff + TimeSpan.FromMilliseconds(200));
            await WaitUntilAsync(() => outputs.Count == 2);
            var list = outputs.ToList();
            Assert.Equal([7L, 8L], list.Select(m => m.Seq));
            Assert.Equal(PatientMessage.StateRebuilt, list[0].Flags);
            Assert.Contains("was not handed over", list[0].Note);
            Assert.Equal(0, list[1].Flags);
            Assert.Equal(1, worker.Rebuilt);
            Assert.Equal(2, SequenceChecker.ReadOutput(list[1].Payload.Span).Count);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ShardQueue(ring, "t-shardw")); }
    }

    [Fact]
    public async Task RedeliveredWindow_IsDroppedAndOutputsStayInOrder()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shardd") with { Node = new() { Name = "t-shardd", Roles = ["shard"] }, Shard = new() { Ring = ring } };
        await using var connection = await Broker.ConnectAsync(config);
        await using var worker = new ShardWorker(config, connection, new SequenceCheckerFactory(), TextWriter.Null);
        await worker.StartAsync();
        try
        {
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            await publisher.PublishAsync([PatientMessage.Window("p-2", 0, new byte[8], DateTimeOffset.UtcNow),
                                          PatientMessage.Window("p-2", 1, new byte[8], DateTimeOffset.UtcNow),
                                          PatientMessage.Window("p-2", 1, new byte[8], DateTimeOffset.UtcNow),
                                          PatientMessage.Window("p-2", 3, new byte[8], DateTimeOffset.UtcNow),
                                          PatientMessage.Window("p-2", 2, new byte[8], DateTimeOffset.UtcNow)]);
            await WaitUntilAsync(() => worker.WindowsProcessed == 4 && worker.Duplicates == 1);
            Assert.Equal(0, worker.HeldWindows);
            Assert.Equal(0, worker.Rebuilt);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ShardQueue(ring, "t-shardd")); }
    }

    [Fact]
    public async Task DeadPeer_QueueTakenOverAfterNodeExpiryOnManualClock_StateRebuiltAndReleasedWhenBack()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shardt") with { Node = new() { Name = "t-shardt-a", Roles = ["shard"] }, Shard = new() { Ring = ring } };
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        string ghostQueue = Topology.ShardQueue(ring, "t-shardt-ghost");
        await using var connection = await Broker.ConnectAsync(config);
        await using var worker = new ShardWorker(config, connection, new SequenceCheckerFactory(), TextWriter.Null, clock);
        await worker.StartAsync();
        var outputs = new ConcurrentQueue<PatientMessage>();
        await using var ch = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var q = (await ch.QueueDeclareAsync("", false, true, true)).QueueName;
        await ch.QueueBindAsync(q, Topology.ShardResultsExchange(ring), "");
        var consumer = new AsyncEventingBasicConsumer(ch);
        consumer.ReceivedAsync += (_, e) => { outputs.Enqueue(PatientMessage.Decode(e.Body.Span)); return Task.CompletedTask; };
        await ch.BasicConsumeAsync(q, true, consumer);
        try
        {
            // A peer's queue holding windows 5..7 of a patient, and the peer's heartbeat.
            await Topology.DeclareShardQueueAsync(connection, ghostQueue, null);
            var persistent = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
            foreach (long seq in new long[] { 5, 6, 7 })
                await ch.BasicPublishAsync("", ghostQueue, true, persistent, PatientMessage.Window("p-9", seq, new byte[8], clock.GetUtcNow()).Encode());
            var beat = new Vigil.Cluster.Node.NodeHeartbeat("t-shardt-ghost", "up", ["shard"], [], ring, 1, 5, 1, clock.GetUtcNow());
            await ch.BasicPublishAsync(Topology.HeartbeatExchange, "", beat.ToJson());
            await WaitUntilAsync(() => worker.PeerHeartbeats == 1);

            // Silent for less than node_expiry: nothing taken over.
            long ticks = worker.TicksProcessed;
            clock.Advance(config.Timeouts.NodeExpiry - TimeSpan.FromMilliseconds(200));
            await WaitUntilAsync(() => worker.TicksProcessed > ticks);
            Assert.Empty(worker.TakenOver);
            Assert.Empty(outputs);

            // Past node_expiry: the queue is taken over and the patient rebuilt from window 5.
            clock.Advance(TimeSpan.FromMilliseconds(400));
            await WaitUntilAsync(() => outputs.Count == 3);
            Assert.Equal(["t-shardt-ghost"], worker.TakenOver);
            var list = outputs.ToList();
            Assert.Equal([5L, 6L, 7L], list.Select(m => m.Seq));
            Assert.All(list, m => Assert.Equal("t-shardt-a", m.Node));
            Assert.Equal(PatientMessage.StateRebuilt, list[0].Flags);
            Assert.Contains("took over its windows and rebuilt the state from window 5", list[0].Note);
            Assert.Equal([0, 0], list.Skip(1).Select(m => (int)m.Flags));
            Assert.Equal(3, SequenceChecker.ReadOutput(list[2].Payload.Span).Count);
            Assert.Equal(1, worker.Rebuilt);

            // The peer is heard from again: its queue is released (no consumer left on it).
            await ch.BasicPublishAsync(Topology.HeartbeatExchange, "", (beat with { SentAt = clock.GetUtcNow() }).ToJson());
            await WaitUntilAsync(() => worker.PeerHeartbeats == 2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await WaitUntilAsync(() => worker.TakenOver.Count == 0);
            await using var check = await connection.CreateChannelAsync();
            Assert.Equal(0u, (await check.QueueDeclarePassiveAsync(ghostQueue)).ConsumerCount);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ShardQueue(ring, "t-shardt-a"), ghostQueue); }
    }

    [Fact]
    public void PatientMessage_RoundTrip_PreservesFields()
    {
        var m = new PatientMessage(PatientMessageKind.Output, "patient-ü", 42, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), "n1",
            PatientMessage.StateRebuilt, "note", new byte[] { 1, 2, 3 });
        var back = PatientMessage.Decode(m.Encode());
        Assert.Equal(m with { Payload = back.Payload }, back);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Payload.ToArray());
        Assert.Throws<Vigil.Cluster.Wire.FrameFormatException>(() => PatientMessage.Decode(m.Encode().AsSpan(0, 20)));
    }
}
