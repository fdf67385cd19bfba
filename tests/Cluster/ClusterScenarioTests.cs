using Vigil.Cluster.Configuration;
using Vigil.Cluster.Edge;
using Vigil.Cluster.Node;
using Vigil.Cluster.Sharding;
using Xunit.Abstractions;

namespace Vigil.Cluster.Tests;

/// <summary>
/// Real node processes on loopback sharing RabbitMQ (the edge) and PostgreSQL (patient state):
/// patients stream through the broker while a node is killed (kill -9), leaves gracefully, or the
/// broker restarts. Each time, every window must give exactly one result, computed from the same
/// state as without the disruption (the sequence function chains a digest over every window).
/// </summary>
[Collection("broker")]
public sealed class ClusterScenarioTests(ITestOutputHelper output)
{
    private const int Patients = 24, Windows = 30;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);

    private static byte[] Payload(int patient, long seq)
    {
        var b = new byte[64];
        new Random(patient * 100_003 + (int)seq).NextBytes(b);
        return b;
    }

    private static string Patient(int p) => $"patient-{p:D3}";

    /// <summary>Window <paramref name="from"/> to <paramref name="to"/> (exclusive) of every patient, interleaved as devices send them.</summary>
    private static List<Reading> Readings(long from, long to) =>
        [.. from.Range(to).SelectMany(s => Enumerable.Range(0, Patients).Select(p => new Reading(Patient(p), s, Payload(p, s))))];

    /// <summary>Checks every window has one result whose count and digest equal an undisturbed run.</summary>
    private void AssertExactlyOnce(ResultCollector results)
    {
        Assert.Equal(0, results.Conflicts);
        Assert.Equal(Patients * Windows, results.Results.Count);
        for (int p = 0; p < Patients; p++)
        {
            ulong digest = SequenceChecker.InitialDigest;
            for (long s = 0; s < Windows; s++)
            {
                digest = SequenceChecker.Fold(digest, s, Payload(p, s));
                var r = results.Results[(Patient(p), s)];
                var (count, _, inOrder, got) = SequenceChecker.ReadOutput(r.Output);
                Assert.True(count == s + 1 && inOrder && got == digest,
                    $"{Patient(p)} window {s} (by {r.Node}): count {count}, in order {inOrder}, digest {got:x16} vs {digest:x16}");
            }
        }
        output.WriteLine($"{results.Results.Count} results, {results.Redelivered} identical re-publications dropped, 0 conflicts");
    }

    private static async Task<(NodeProcess[] Nodes, BrokerSettings Broker, string Db)> StartThreeAsync(string test)
    {
        await TestCluster.RequireBrokerAsync();
        string db = await TestCluster.CreateDatabaseAsync();
        var (queues, broker) = TestCluster.Queues(test);
        int[] ports = [TestCluster.FreePort(), TestCluster.FreePort(), TestCluster.FreePort()];
        int[] seeds = [ports[0], ports[1]];
        var confs = Enumerable.Range(0, 3).Select(i =>
            ($"n{i + 1}", TestCluster.Conf($"n{i + 1}", ports[i], seeds, "ingest", TestCluster.Postgres(db), queues))).ToArray();
        // The first seed forms the cluster; the others join it.
        var first = await NodeProcess.StartAsync(confs[0].Item1, confs[0].Item2);
        try
        {
            var rest = await NodeProcess.StartAllAsync(confs[1], confs[2]);
            return ([first, .. rest], broker, db);
        }
        catch
        {
            await first.DisposeAsync();
            await TestCluster.DropDatabaseAsync(db);
            throw;
        }
    }

    private static async Task StopAsync(NodeProcess[] nodes, BrokerSettings broker, string db)
    {
        foreach (var n in nodes) await n.DisposeAsync();
        await TestCluster.DeleteQueuesAsync(broker);
        await TestCluster.DropDatabaseAsync(db);
    }

    [Fact]
    public async Task KillNine_OneOfThreeNodes_EveryWindowOnceAndMovedStateEqualsUndisturbed()
    {
        var (nodes, broker, db) = await StartThreeAsync("kill");
        try
        {
            await using var results = await ResultCollector.StartAsync(broker);
            await using var publisher = await ReadingPublisher.ConnectAsync(broker);
            await publisher.PublishAllAsync(Readings(0, Windows / 2), perMessage: 8);
            Assert.True(await results.WaitForAsync(Patients * 5, Safety), "no results before the kill");
            // The node holding most patients so far (shards rebalance onto later joiners gradually).
            var busiest = results.Results.Values.GroupBy(r => r.Node).OrderByDescending(g => g.Count()).First().Key;
            var victim = nodes.Single(n => n.Name == busiest);
            var heldByVictim = results.Results.Values.Where(r => r.Node == victim.Name).Select(r => r.PatientId).ToHashSet();
            Assert.NotEmpty(heldByVictim);
            victim.Kill();
            await publisher.PublishAllAsync(Readings(Windows / 2, Windows), perMessage: 8);
            Assert.True(await results.WaitForAsync(Patients * Windows, Safety),
                $"only {results.Results.Count} of {Patients * Windows} results after the kill\n{nodes[0].Output}\n{nodes[1].Output}");
            AssertExactlyOnce(results);
            // The victim's patients moved: their last windows came from a survivor, from the recovered state.
            foreach (var patient in heldByVictim)
                Assert.NotEqual(victim.Name, results.Results[(patient, Windows - 1)].Node);
        }
        finally { await StopAsync(nodes, broker, db); }
    }

    [Fact]
    public async Task GracefulLeave_ByClusterLeaveCommand_ShardsHandOffAndNothingLostOrDuplicated()
    {
        var (nodes, broker, db) = await StartThreeAsync("leave");
        try
        {
            await using var results = await ResultCollector.StartAsync(broker);
            await using var publisher = await ReadingPublisher.ConnectAsync(broker);
            await publisher.PublishAllAsync(Readings(0, Windows / 2), perMessage: 8);
            Assert.True(await results.WaitForAsync(Patients * Windows / 2, Safety), "first half not processed");

            var admin = ClusterConfigLoader.Parse($"vigil {{ seed-nodes = [\"127.0.0.1:{PortOf(nodes[0])}\"] }}");
            var status = await ClusterAdmin.StatusAsync(admin, TimeSpan.FromSeconds(10));
            var members = status["members"]!.AsArray();
            Assert.Equal(3, members.Count);
            Assert.All(members, m => Assert.Equal("Up", (string?)m!["status"]));
            Assert.Equal(Patients, members.Sum(m => (int?)m!["entities"] ?? 0));
            output.WriteLine(ClusterAdmin.ToText(status));

            var (ok, message) = await ClusterAdmin.LeaveAsync(admin, "n3", TimeSpan.FromSeconds(10));
            Assert.True(ok, message);
            Assert.Equal(0, await nodes[2].WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("node n3 left", nodes[2].Output);

            await publisher.PublishAllAsync(Readings(Windows / 2, Windows), perMessage: 8);
            Assert.True(await results.WaitForAsync(Patients * Windows, Safety), $"only {results.Results.Count} of {Patients * Windows} results after the leave");
            AssertExactlyOnce(results);
            // The left member may linger in gossip a moment as Exiting/Removed; the Up ones hold every patient.
            var after = await ClusterAdmin.StatusAsync(admin, TimeSpan.FromSeconds(10));
            var up = after["members"]!.AsArray().Where(m => (string?)m!["status"] == "Up").ToList();
            Assert.Equal(2, up.Count);
            Assert.DoesNotContain(up, m => (string?)m!["name"] == "n3");
            Assert.Equal(Patients, up.Sum(m => (int?)m!["entities"] ?? 0));
        }
        finally { await StopAsync(nodes, broker, db); }
    }

    [Fact]
    public async Task BrokerRestart_MidStream_NothingLostOrDuplicated()
    {
        await TestCluster.RequireBrokerAsync();
        var (queues, broker) = TestCluster.Queues("restart");
        string file = Path.Combine(Path.GetTempPath(), $"vigil-restart-{Guid.NewGuid():N}.db");
        int port = TestCluster.FreePort();
        var node = await NodeProcess.StartAsync("solo", TestCluster.Conf("solo", port, [port], "ingest", TestCluster.Sqlite(file), queues));
        try
        {
            var results = await ResultCollector.StartAsync(broker);
            try
            {
                await using (var publisher = await ReadingPublisher.ConnectAsync(broker))
                    await publisher.PublishAllAsync(Readings(0, Windows / 2), perMessage: 8);
                Assert.True(await results.WaitForAsync(Patients * 3, Safety), "no results before the restart");
                await RabbitmqctlAsync("stop_app");
                await RabbitmqctlAsync("start_app");
                await RabbitmqctlAsync("await_startup");
                await using (var publisher = await ReadingPublisher.ConnectAsync(broker))
                    await publisher.PublishAllAsync(Readings(Windows / 2, Windows), perMessage: 8);
                Assert.True(await results.WaitForAsync(Patients * Windows, Safety), $"only {results.Results.Count} of {Patients * Windows} results after the restart\n{node.Output}");
                AssertExactlyOnce(results);
            }
            finally { await results.DisposeAsync(); }
        }
        finally
        {
            await node.DisposeAsync();
            await TestCluster.DeleteQueuesAsync(broker);
            File.Delete(file);
        }
    }

    private static int PortOf(NodeProcess node)
    {
        var m = System.Text.RegularExpressions.Regex.Match(node.Output, @"akka\.tcp://vigil@127\.0\.0\.1:(\d+)");
        Assert.True(m.Success, $"no address in the ready line of {node.Name}: {node.Output}");
        return int.Parse(m.Groups[1].Value);
    }

    private static async Task RabbitmqctlAsync(string arguments)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("rabbitmqctl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {arguments} failed ({p.ExitCode}): {await stdout}{await stderr}");
    }
}

internal static class RangeExtensions
{
    public static IEnumerable<long> Range(this long from, long to)
    {
        for (long i = from; i < to; i++) yield return i;
    }
}
