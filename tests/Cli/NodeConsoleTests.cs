using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Cli.Commands;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;
using Vigil.WardConsole.Security;

namespace Vigil.Cli.Tests;

/// <summary>The ward console hosted by a cluster node (<c>vigil node --console-port</c>): one actor system, the real cluster state.</summary>
public sealed class NodeConsoleTests
{
    [Fact]
    public async Task A_node_with_the_console_answers_health_and_shows_its_cluster_members()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-node-console-").FullName;
        var port = FreePort();
        var node = await VigilNode.StartAsync(ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = console-node, port = {{port}}, roles = [inference] }
              models { echo { handler = echo } }
            }
            """), TextWriter.Null, startEdge: false);
        try
        {
            await using var console = await NodeConsole.StartAsync(node, o =>
            {
                o.Port = 0;
                o.AuditDatabase = Path.Combine(dir, "audit.db");
                o.ApiKeys = [new ApiKeyEntry { Name = "ops", Role = WardRole.Admin, Sha256 = ApiKeyStore.Hash("admin-key") }];
            });
            // One actor system: the console's is the node's.
            Assert.Same(node.System, console.App.Services.GetRequiredService<ActorSystem>());
            using var http = new HttpClient { BaseAddress = new Uri(console.App.Urls.First()) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/cluster")).StatusCode);
            http.DefaultRequestHeaders.Add("X-Api-Key", "admin-key");
            var body = JsonDocument.Parse(await http.GetStringAsync("/api/cluster")).RootElement;
            var cluster = body.GetProperty("cluster");
            Assert.Equal("cluster", cluster.GetProperty("mode").GetString());
            Assert.Equal(node.Address.ToString(), cluster.GetProperty("self").GetString());
            var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
            Assert.Equal(node.Address.ToString(), member.GetProperty("address").GetString());
            Assert.Equal("Up", member.GetProperty("status").GetString());
            Assert.Equal(["inference"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.True(member.GetProperty("reachable").GetBoolean());
            Assert.Empty(cluster.GetProperty("unreachable").EnumerateArray());
            // The console's own graph runs on the node's system and is ready.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);
            // The node's model server: three requests to the echo model, then its batches on /metrics.
            for (var i = 0; i < 3; i++)
                Assert.Equal(Vigil.Cluster.Wire.InferenceStatus.Ok, (await node.Inference.InferAsync(new Vigil.Cluster.Wire.InferenceRequest(Guid.NewGuid(), "echo", "1",
                    [Vigil.Cluster.Wire.WireTensor.FromFloats("x", [1, 2], [1f, 2f])], DateTimeOffset.UtcNow.AddSeconds(30)))).Status);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("queue=\"inference.serving\"", metrics);
            Assert.True(MetricValue(metrics, "vigil_inference_batched_requests") >= 3, metrics);
            Assert.InRange(MetricValue(metrics, "vigil_inference_batches"), 1, 3);
        }
        finally
        {
            await node.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static double MetricValue(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Sum();

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }
}
