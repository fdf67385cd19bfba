using Vigil.Cluster.Broker;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Tests;

/// <summary>
/// Failure scenarios with real node processes on loopback: a node killed with SIGKILL mid-run, the
/// broker application restarted mid-run, and a slow node next to a fast one.
/// </summary>
[Collection("broker")]
public sealed class InferenceScenarioTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(45);

    /// <summary>Sends <paramref name="count"/> sum requests; calls <paramref name="midway"/> once a third have results.</summary>
    private static async Task<InferenceResult[]> RunLoadAsync(RemoteInferenceClient client, string model, int count, Func<Task> midway)
    {
        var tasks = new Task<InferenceResult>[count];
        var ids = new Guid[count];
        int done = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                var r = client.CreateRequest(model, "1", [WireTensor.FromFloats("x", [2], [i, 0.5f])]);
                ids[i] = r.Id;
                tasks[i] = await client.SendAsync(r);
                _ = tasks[i].ContinueWith(_ => { if (Interlocked.Increment(ref done) == count / 3) third.TrySetResult(); }, TaskScheduler.Default);
            }
        });
        await third.Task.WaitAsync(Safety);
        await midway();
        await sender.WaitAsync(Safety);
        var results = await Task.WhenAll(tasks).WaitAsync(Safety);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ids[i], results[i].RequestId);
            Assert.True(results[i].Status == InferenceStatus.Ok, $"request {i}: {results[i].Status} {results[i].Error}");
            Assert.Equal(i + 0.5f, results[i].Outputs[0].ToFloats()[0]);
        }
        return results;
    }

    [Fact]
    public async Task ServingNodeKilledMidRun_EveryRequestGetsExactlyOneResult()
    {
        string model = Broker.UniqueModel("kill");
        var config = Broker.Config("t-kill-client");
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 1; i <= 3; i++)
                nodes.Add(await NodeProcess.StartAsync($"kill{i}", NodeProcess.Conf($"kill{i}", "serve", NodeProcess.Model(model, 8, 3, "sum"))));
            await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 256 } });
            const int n = 3000;
            var results = await RunLoadAsync(client, model, n, () => { nodes[0].Kill(); return Task.CompletedTask; });
            Assert.Equal(n, results.Select(r => r.RequestId).Distinct().Count());
            Assert.Equal(n, client.Metrics.Results);
            Assert.Equal(0, client.Metrics.InFlight);
            // The survivors did the rest of the work after the kill.
            Assert.Contains(results, r => r.Node == "kill2");
            Assert.Contains(results, r => r.Node == "kill3");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1"));
        }
    }

    [Fact]
    public async Task BrokerRestartedMidRun_EveryRequestGetsExactlyOneResult()
    {
        string model = Broker.UniqueModel("restart");
        var config = Broker.Config("t-restart-client");
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 1; i <= 2; i++)
                nodes.Add(await NodeProcess.StartAsync($"rs{i}", NodeProcess.Conf($"rs{i}", "serve", NodeProcess.Model(model, 8, 2, "sum"))));
            await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 256 } });
            const int n = 3000;
            var results = await RunLoadAsync(client, model, n, async () =>
            {
                await Broker.RabbitmqctlAsync("stop_app");
                await Broker.RabbitmqctlAsync("start_app");
            });
            Assert.Equal(n, results.Select(r => r.RequestId).Distinct().Count());
            Assert.Equal(n, client.Metrics.Results);
            Assert.True(client.Metrics.Republished > 0 || client.Metrics.Duplicates > 0 || results.Length == n,
                $"metrics after restart: {client.Metrics}");
        }
        finally
        {
            await Broker.RabbitmqctlAsync("start_app"); // never leave the broker stopped, whatever failed
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1"));
        }
    }

    [Fact]
    public async Task SlowNodeBesideFastNode_SlowNodeReceivesProportionallyLessWork()
    {
        string model = Broker.UniqueModel("slow");
        var config = Broker.Config("t-slow-client");
        var nodes = new List<NodeProcess>();
        try
        {
            nodes.Add(await NodeProcess.StartAsync("fast", NodeProcess.Conf("fast", "serve", NodeProcess.Model(model, 8, 2, "sum"))));
            nodes.Add(await NodeProcess.StartAsync("slow", NodeProcess.Conf("slow", "serve", NodeProcess.Model(model, 8, 40, "sum"))));
            await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 128 } });
            var results = await RunLoadAsync(client, model, 2000, () => Task.CompletedTask);
            int fast = results.Count(r => r.Node == "fast"), slow = results.Count(r => r.Node == "slow");
            Assert.Equal(2000, fast + slow);
            // 20x slower per batch: it should take well under a third of what the fast node takes.
            Assert.True(slow * 3 < fast, $"slow node took {slow} requests, fast node {fast}");
            Assert.True(slow > 0, "the slow node should still take some work");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1"));
        }
    }

    [Fact]
    public async Task NodeTerminated_DrainsHeldWorkAndExitsZero()
    {
        string model = Broker.UniqueModel("drain");
        var config = Broker.Config("t-drain-client");
        await using var node = await NodeProcess.StartAsync("drain1", NodeProcess.Conf("drain1", "serve", NodeProcess.Model(model, 8, 20, "sum")));
        try
        {
            await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 64 } });
            var tasks = new List<Task<InferenceResult>>();
            for (int i = 0; i < 64; i++) tasks.Add(await client.SendAsync(client.CreateRequest(model, "1", [WireTensor.FromFloats("x", [1], [i])])));
            await Task.WhenAny(tasks).WaitAsync(Safety); // the node is busy
            node.Terminate();
            Assert.Equal(0, await node.WaitForExitAsync(Safety));
            Assert.Contains("drained:", node.Output);
            // What the node held was answered; anything it had not taken is still queued for the next node.
            int answered = tasks.Count(t => t.IsCompletedSuccessfully);
            Assert.True(answered >= 1);
            await using var second = await NodeProcess.StartAsync("drain2", NodeProcess.Conf("drain2", "serve", NodeProcess.Model(model, 8, 0, "sum")));
            var results = await Task.WhenAll(tasks).WaitAsync(Safety);
            Assert.All(results, r => Assert.Equal(InferenceStatus.Ok, r.Status));
            Assert.Equal(64, results.Select(r => r.RequestId).Distinct().Count());
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }
}
