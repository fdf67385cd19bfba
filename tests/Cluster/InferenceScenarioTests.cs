using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Tests;

/// <summary>Inference pulled by two serving node processes from an in-process requester; one is killed mid-run.</summary>
[Collection("broker")]
public sealed class InferenceScenarioTests
{
    [Fact]
    public async Task KillNine_ServingNode_EveryRequestGetsExactlyOneResult()
    {
        int pa = TestCluster.FreePort();
        var requester = await VigilNode.StartAsync(ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = req, port = {{pa}}, roles = [inference] }
              seed-nodes = ["127.0.0.1:{{pa}}"]
              inference { request-timeout = 90s }
            }
            """), TextWriter.Null, startEdge: false);
        string Server(string name) => $$"""
            vigil {
              node { name = {{name}}, port = {{TestCluster.FreePort()}}, roles = [inference] }
              seed-nodes = ["127.0.0.1:{{pa}}"]
              models { echo { capacity = 4, handler = echo, delay = 20ms } }
            }
            """;
        var servers = await NodeProcess.StartAllAsync(("s1", Server("s1")), ("s2", Server("s2")));
        try
        {
            // Both servers must be pulling before the run starts, or the kill below would test nothing
            // (a server whose credits have not reached the requester yet serves no request).
            var seen = new HashSet<string>();
            var ready = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            for (int w = 0; seen.Count < 2 && DateTime.UtcNow < ready; w += 8)
            {
                var warm = Enumerable.Range(w, 8).Select(k => requester.Inference.InferAsync(
                    requester.Inference.CreateRequest("echo", "1", [WireTensor.FromFloats("x", [1], [-1])], inputIdentity: $"warm-{k}")));
                foreach (var r in await Task.WhenAll(warm)) seen.Add(r.Node);
            }
            Assert.True(seen.SetEquals(["s1", "s2"]), $"both servers should answer before the run; answered: {string.Join(", ", seen)}");

            const int n = 300;
            var requests = Enumerable.Range(0, n).Select(i =>
                requester.Inference.CreateRequest("echo", "1", [WireTensor.FromFloats("x", [1], [i])], inputIdentity: $"req-{i}")).ToList();
            int done = 0;
            var killed = new TaskCompletionSource();
            var tasks = requests.Select(async r =>
            {
                var result = await requester.Inference.InferAsync(r);
                if (Interlocked.Increment(ref done) == n / 5) killed.TrySetResult();
                return result;
            }).ToList();
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            servers[1].Kill();
            var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));
            for (int i = 0; i < n; i++)
            {
                Assert.True(results[i].Status == InferenceStatus.Ok, $"request {i}: {results[i].Status} {results[i].Error}");
                Assert.Equal(requests[i].Id, results[i].RequestId);
                Assert.Equal($"req-{i}", results[i].InputIdentity);
                Assert.Equal(i, Assert.Single(results[i].Outputs).ToFloats()[0]);
            }
            // Both servers pulled work.
            Assert.Contains(results, r => r.Node == "s1");
            Assert.Contains(results, r => r.Node == "s2");
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
            await requester.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
