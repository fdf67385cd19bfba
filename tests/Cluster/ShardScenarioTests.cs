using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Tests;

/// <summary>Patient sharding on the consistent-hash exchange with real node processes.</summary>
[Collection("broker")]
public sealed class ShardScenarioTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(45);
    private const int Patients = 24;
    private const int WindowsPerPatient = 50;

    private static IEnumerable<PatientMessage> Windows(int fromSeq, int toSeq)
    {
        for (int s = fromSeq; s < toSeq; s++)
            for (int p = 0; p < Patients; p++)
                yield return PatientMessage.Window($"patient-{p:00}", s, new byte[64], DateTimeOffset.UtcNow);
    }

    /// <summary>Collects the outputs of a ring (a queue bound to its results fanout).</summary>
    private sealed class Outputs : IAsyncDisposable
    {
        private readonly IConnection _connection;
        public ConcurrentQueue<PatientMessage> Received { get; } = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HashSet<(string, long)> _distinct = new();
        private readonly int _expected;

        private Outputs(IConnection connection, int expected) { _connection = connection; _expected = expected; }

        public static async Task<Outputs> StartAsync(string ring, int expected)
        {
            var connection = await Broker.ConnectAsync(Broker.Config("t-outputs"));
            var outputs = new Outputs(connection, expected);
            var ch = await connection.CreateChannelAsync();
            await Topology.DeclareRingAsync(ch, ring);
            var q = (await ch.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await ch.QueueBindAsync(q, Topology.ShardResultsExchange(ring), "");
            var consumer = new AsyncEventingBasicConsumer(ch);
            consumer.ReceivedAsync += (_, e) =>
            {
                var m = PatientMessage.Decode(e.Body.Span);
                outputs.Received.Enqueue(m);
                lock (outputs._distinct)
                    if (outputs._distinct.Add((m.Patient, m.Seq)) && outputs._distinct.Count == outputs._expected) outputs._all.TrySetResult();
                return Task.CompletedTask;
            };
            await ch.BasicConsumeAsync(q, autoAck: true, consumer);
            return outputs;
        }

        public int Distinct { get { lock (_distinct) return _distinct.Count; } }

        public Task WaitForAsync(int count) => count == _expected ? _all.Task : WaitCountAsync(count);

        private async Task WaitCountAsync(int count)
        {
            while (Distinct < count) await Task.Delay(20);
        }

        /// <summary>Waits for <paramref name="count"/> distinct outputs; on timeout says which windows are missing and what the nodes logged.</summary>
        public async Task WaitForAsync(int count, IEnumerable<NodeProcess> nodes)
        {
            try { await WaitForAsync(count).WaitAsync(Safety); }
            catch (TimeoutException)
            {
                HashSet<(string, long)> seen;
                lock (_distinct) seen = new(_distinct);
                var missing = Windows(0, WindowsPerPatient).Select(w => (w.Patient, w.Seq)).Where(k => !seen.Contains(k)).Take(20);
                throw new TimeoutException($"{seen.Count}/{count} windows processed; missing e.g. {string.Join(", ", missing)}\n" +
                    string.Join("\n", nodes.Select(n => $"--- {n.Name}:\n{n.Output}")));
            }
        }

        public async ValueTask DisposeAsync() { await _connection.CloseAsync(); _connection.Dispose(); }
    }

    private static void AssertInOrderWithStateIntact(Outputs outputs, int expectedNodes)
    {
        var byPatient = outputs.Received.GroupBy(m => m.Patient).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Patients, byPatient.Count);
        foreach (var (patient, list) in byPatient)
        {
            Assert.Equal(Enumerable.Range(0, WindowsPerPatient).Select(i => (long)i), list.Select(m => m.Seq));
            foreach (var m in list)
            {
                var (count, previous, inOrder) = SequenceChecker.ReadOutput(m.Payload.Span);
                Assert.True(inOrder && previous == m.Seq - 1, $"{patient} window {m.Seq} on {m.Node}: previous in state was {previous}");
                Assert.True(count == m.Seq + 1, $"{patient} window {m.Seq} on {m.Node}: state had counted {count} windows (state lost?)");
                Assert.Equal(0, m.Flags);
            }
        }
        Assert.Equal(expectedNodes, outputs.Received.Select(m => m.Node).Distinct().Count());
        Assert.Contains(byPatient.Values, list => list.Select(m => m.Node).Distinct().Count() > 1); // some patients moved
    }

    [Fact]
    public async Task ShardNodeLeavesMidStream_PatientWindowsStayInOrderAndStateMoves()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shard-pub") with { Shard = new() { Ring = ring } };
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 1; i <= 3; i++)
                nodes.Add(await NodeProcess.StartAsync($"sh{i}", NodeProcess.Conf($"sh{i}", "shard", "", $"[shard]\nring = {ring}")));
            await using var outputs = await Outputs.StartAsync(ring, Patients * WindowsPerPatient);
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            await publisher.PublishAsync(Windows(0, 20)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * 10).WaitAsync(Safety); // mid-stream
            nodes[0].Terminate(); // graceful leave while windows are queued and flowing
            // The rest once sh1 is off the ring, so its patients' later windows reach the other nodes.
            await WaitUntilAsync(() => nodes[0].Output.Contains("unbound"));
            await publisher.PublishAsync(Windows(20, WindowsPerPatient)).WaitAsync(Safety);
            Assert.Equal(0, await nodes[0].WaitForExitAsync(Safety));
            await outputs.WaitForAsync(Patients * WindowsPerPatient, nodes);
            AssertInOrderWithStateIntact(outputs, expectedNodes: 3);
            Assert.True(nodes[0].Output.Contains("left patient ring"), nodes[0].Output);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, nodes.Select(n => Topology.ShardQueue(ring, n.Name)).ToArray());
        }
    }

    [Fact]
    public async Task ShardNodeKilled_SurvivorTakesOverItsPatientsInOrderWithStateRebuilt()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shard-pub3") with { Shard = new() { Ring = ring } };
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 1; i <= 3; i++)
                nodes.Add(await NodeProcess.StartAsync($"sk{i}", NodeProcess.Conf($"sk{i}", "shard", "", $"[shard]\nring = {ring}")));
            await using var outputs = await Outputs.StartAsync(ring, Patients * WindowsPerPatient);
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            const int AfterTakeover = 20;
            await publisher.PublishAsync(Windows(0, AfterTakeover)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * 10).WaitAsync(Safety); // mid-stream
            nodes[1].Kill(); // kill -9 sk2: no drain, no hand-off
            await nodes[1].WaitForExitAsync(Safety);
            // sk1, the lowest-named survivor, takes sk2's queue once sk2's heartbeats expire (node_expiry = 2 s).
            await WaitUntilAsync(() => nodes[0].Output.Contains("took over the patients of node sk2"));
            await publisher.PublishAsync(Windows(AfterTakeover, WindowsPerPatient)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * WindowsPerPatient, nodes); // every window processed (at least once)

            var byPatient = outputs.Received.GroupBy(m => m.Patient).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(Patients, byPatient.Count);
            var killedPatients = byPatient.Where(p => p.Value.Any(m => m.Node == "sk2")).Select(p => p.Key).ToList();
            Assert.NotEmpty(killedPatients);
            foreach (var (patient, list) in byPatient)
            {
                // Windows published after the takeover: processed once each, in order, by one live node.
                var late = list.Where(m => m.Seq >= AfterTakeover).ToList();
                Assert.Equal(Enumerable.Range(AfterTakeover, WindowsPerPatient - AfterTakeover).Select(i => (long)i), late.Select(m => m.Seq));
                Assert.Single(late.Select(m => m.Node).Distinct());
                Assert.NotEqual("sk2", late[0].Node);
                // No window is processed by two live nodes, and each live node goes forward only.
                var live = list.Where(m => m.Node != "sk2").ToList();
                Assert.Single(live.Select(m => m.Node).Distinct());
                Assert.Equal(live.Select(m => m.Seq).Distinct().Count(), live.Count);
                Assert.True(live.Select(m => m.Seq).SequenceEqual(live.Select(m => m.Seq).Order()), $"{patient}: {string.Join(",", live.Select(m => m.Seq))}");
                if (killedPatients.Contains(patient))
                {
                    // Taken over by sk1: state rebuilt from the first window it got, flagged and said so.
                    Assert.Equal("sk1", live[0].Node);
                    Assert.Equal(PatientMessage.StateRebuilt, live[0].Flags);
                    Assert.Contains("node sk2 stopped", live[0].Note);
                    foreach (var m in live)
                        Assert.Equal(m.Seq - live[0].Seq + 1, SequenceChecker.ReadOutput(m.Payload.Span).Count);
                    // Windows sk2 had not finished are all there: the takeover resumed where sk2's acknowledgements stopped.
                    Assert.True(live[0].Seq <= list.Where(m => m.Node == "sk2").Max(m => m.Seq) + 1, $"{patient}: gap after sk2");
                }
                else
                    foreach (var m in list)
                    {
                        Assert.Equal(0, m.Flags);
                        Assert.Equal(m.Seq + 1, SequenceChecker.ReadOutput(m.Payload.Span).Count);
                    }
            }
            Assert.DoesNotContain("took over", nodes[2].Output); // only the designated survivor took over
            var status = await Vigil.Cluster.Node.ClusterStatus.ReadAsync(config, TimeSpan.FromSeconds(1));
            Assert.Equal(["sk2"], status.Nodes.Single(n => n.Node == "sk1").TakenOver!);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, nodes.Select(n => Topology.ShardQueue(ring, n.Name)).ToArray());
        }
    }

    [Fact]
    public async Task ShardNodeKilledThenRestarted_SurvivorHandsPatientsBackWithExactState()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shard-pub4") with { Shard = new() { Ring = ring } };
        var nodes = new List<NodeProcess>();
        string Conf(string name) => NodeProcess.Conf(name, "shard", "", $"[shard]\nring = {ring}");
        try
        {
            for (int i = 1; i <= 2; i++) nodes.Add(await NodeProcess.StartAsync($"sr{i}", Conf($"sr{i}")));
            await using var outputs = await Outputs.StartAsync(ring, Patients * WindowsPerPatient);
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            await publisher.PublishAsync(Windows(0, 10)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * 10, nodes);
            nodes[1].Kill(); // kill -9 sr2
            await nodes[1].WaitForExitAsync(Safety);
            await WaitUntilAsync(() => nodes[0].Output.Contains("took over the patients of node sr2"));
            await publisher.PublishAsync(Windows(10, 30)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * 30, nodes);
            int before = outputs.Received.Count;
            // sr2 comes back: sr1 releases its queue, and sr2 asks for (and gets) each patient's state.
            nodes.Add(await NodeProcess.StartAsync("sr2", Conf("sr2")));
            await WaitUntilAsync(() => nodes[0].Output.Contains("released the queue"));
            await publisher.PublishAsync(Windows(30, WindowsPerPatient)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * WindowsPerPatient, nodes);

            var returned = outputs.Received.Skip(before).Where(m => m.Node == "sr2").GroupBy(m => m.Patient).ToList();
            Assert.NotEmpty(returned);
            foreach (var g in returned)
            {
                var list = outputs.Received.Where(m => m.Patient == g.Key).ToList();
                var late = list.Where(m => m.Seq >= 30).ToList();
                // After the return: once each, in order, by sr2 alone, with the state sr1 had built (count from sr1's rebuild on).
                Assert.Equal(Enumerable.Range(30, WindowsPerPatient - 30).Select(i => (long)i), late.Select(m => m.Seq));
                Assert.All(late, m => Assert.Equal("sr2", m.Node));
                var rebuiltAt = list.First(m => m.Node == "sr1" && m.Flags == PatientMessage.StateRebuilt).Seq;
                foreach (var m in late)
                {
                    Assert.Equal(0, m.Flags);
                    Assert.Equal(m.Seq - rebuiltAt + 1, SequenceChecker.ReadOutput(m.Payload.Span).Count);
                }
            }
            Assert.Contains("handed over by sr1", nodes[2].Output);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, Topology.ShardQueue(ring, "sr1"), Topology.ShardQueue(ring, "sr2"));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Safety;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not reached within the safety timeout");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ShardNodeJoinsMidStream_PatientsMoveWithTheirState()
    {
        string ring = "t-ring-" + Guid.NewGuid().ToString("N")[..8];
        var config = Broker.Config("t-shard-pub2") with { Shard = new() { Ring = ring } };
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 1; i <= 2; i++)
                nodes.Add(await NodeProcess.StartAsync($"sj{i}", NodeProcess.Conf($"sj{i}", "shard", "", $"[shard]\nring = {ring}")));
            await using var outputs = await Outputs.StartAsync(ring, Patients * WindowsPerPatient);
            await using var publisher = await PatientStreamPublisher.ConnectAsync(config);
            await publisher.PublishAsync(Windows(0, 20)).WaitAsync(Safety);
            nodes.Add(await NodeProcess.StartAsync("sj3", NodeProcess.Conf("sj3", "shard", "", $"[shard]\nring = {ring}")));
            await publisher.PublishAsync(Windows(20, WindowsPerPatient)).WaitAsync(Safety);
            await outputs.WaitForAsync(Patients * WindowsPerPatient, nodes);
            AssertInOrderWithStateIntact(outputs, expectedNodes: 3);
            Assert.Contains("handed over by", nodes[2].Output);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, nodes.Select(n => Topology.ShardQueue(ring, n.Name)).ToArray());
        }
    }
}
