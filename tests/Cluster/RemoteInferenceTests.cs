using Vigil.Models.Tensors;
using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;
using Vigil.Tests.Common;

namespace Vigil.Cluster.Tests;

/// <summary>Remote inference through the real broker, with the serving node in this process.</summary>
[Collection("broker")]
public sealed class RemoteInferenceTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static WireTensor Vector(int n, float start = 0) =>
        WireTensor.FromFloats("x", [n], Enumerable.Range(0, n).Select(i => start + i).ToArray());

    [Fact]
    public async Task InferAsync_EchoModel_ReturnsInputsWithProvenance()
    {
        string model = Broker.UniqueModel("echo");
        var config = Broker.Config("t-echo", new ModelServing { Id = model, Capacity = 4 });
        await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null);
        await using var client = await RemoteInferenceClient.ConnectAsync(config);
        try
        {
            var request = client.CreateRequest(model, "1", [Vector(256, 5)], inputIdentity: "patient-1/w-0");
            var result = await client.InferAsync(request).WaitAsync(Safety);
            Assert.Equal(InferenceStatus.Ok, result.Status);
            Assert.Equal(request.Id, result.RequestId);
            Assert.Equal(("t-echo", model, "1", "patient-1/w-0"), (result.Node, result.ModelId, result.ModelVersion, result.InputIdentity));
            Assert.Equal(BuiltInHandlers.Sha256Of("builtin:echo"), result.ModelSha256);
            Assert.Equal(Vector(256, 5).ToFloats(), Assert.Single(result.Outputs).ToFloats());
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task SendAsync_ThousandsConcurrent_EveryRequestGetsExactlyOneResult()
    {
        string model = Broker.UniqueModel("sum");
        var config = Broker.Config("t-many", new ModelServing { Id = model, Capacity = 16, Handler = "sum" });
        await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null);
        await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 128 } });
        try
        {
            const int n = 3000;
            var tasks = new List<Task<InferenceResult>>(n);
            var ids = new List<Guid>(n);
            for (int i = 0; i < n; i++)
            {
                var r = client.CreateRequest(model, "1", [WireTensor.FromFloats("x", [2], [i, 1f])]);
                ids.Add(r.Id);
                tasks.Add(await client.SendAsync(r).AsTask().WaitAsync(Safety));
            }
            var results = await Task.WhenAll(tasks).WaitAsync(Safety);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(ids[i], results[i].RequestId);
                Assert.Equal(InferenceStatus.Ok, results[i].Status);
                Assert.Equal(i + 1f, results[i].Outputs[0].ToFloats()[0]);
            }
            Assert.Equal(0, client.Metrics.InFlight);
            Assert.True(client.Metrics.FramesPublished < n, $"requests should share broker messages: {client.Metrics}");
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task SendAsync_InFlightBoundReached_WaitsUntilAResultArrives()
    {
        string model = Broker.UniqueModel("bound");
        var config = Broker.Config("t-bound", new ModelServing { Id = model, Capacity = 4 });
        await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 4 } });
        try
        {
            var results = new List<Task<InferenceResult>>();
            for (int i = 0; i < 4; i++) results.Add(await client.SendAsync(client.CreateRequest(model, "1", [Vector(4)])).AsTask().WaitAsync(Safety));
            // No node serves the model yet, so no result can arrive: the fifth admission must wait.
            var fifth = client.SendAsync(client.CreateRequest(model, "1", [Vector(4)])).AsTask();
            Assert.False(fifth.IsCompleted);
            await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null);
            var fifthResult = await (await fifth.WaitAsync(Safety)).WaitAsync(Safety);
            Assert.Equal(InferenceStatus.Ok, fifthResult.Status);
            Assert.All(await Task.WhenAll(results).WaitAsync(Safety), r => Assert.Equal(InferenceStatus.Ok, r.Status));
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task SendAsync_DeadlinePassesWithoutNode_FailsWithClearError()
    {
        string model = Broker.UniqueModel("late");
        var config = Broker.Config("t-late");
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var client = await RemoteInferenceClient.ConnectAsync(config, time: clock);
        try
        {
            var request = client.CreateRequest(model, "1", [Vector(4)], timeout: TimeSpan.FromSeconds(2));
            var pending = await client.SendAsync(request).AsTask().WaitAsync(Safety);
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(pending.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(1.5));
            var result = await pending.WaitAsync(Safety);
            Assert.Equal(InferenceStatus.DeadlineExceeded, result.Status);
            Assert.Contains(request.Id.ToString(), result.Error);
            Assert.Contains("deadline passed", result.Error);
            Assert.Equal(1, client.Metrics.Expired);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task ModelServer_RequestAlreadyExpired_AnswersDeadlineExceededWithoutRunning()
    {
        string model = Broker.UniqueModel("stale");
        var config = Broker.Config("t-stale", new ModelServing { Id = model, Capacity = 4 });
        await using var connection = await Broker.ConnectAsync(config);
        // The node's clock runs a minute ahead, so every request it takes has passed its deadline.
        var nodeClock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var handler = new CountingHandler();
        await using var server = new ModelServer(config, config.Models[0], handler, connection, nodeClock);
        await server.StartAsync();
        await using var client = await RemoteInferenceClient.ConnectAsync(config);
        try
        {
            var result = await client.InferAsync(client.CreateRequest(model, "1", [Vector(4)])).WaitAsync(Safety);
            Assert.Equal(InferenceStatus.DeadlineExceeded, result.Status);
            Assert.Equal("t-stale", result.Node);
            Assert.Contains("before node t-stale could run it", result.Error);
            Assert.Equal(0, handler.Calls);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task InferAsync_BadInputInBatch_FailsOnlyThatRequestNamingTheInput()
    {
        string model = Broker.UniqueModel("sumbad");
        var config = Broker.Config("t-bad", new ModelServing { Id = model, Capacity = 8, Handler = "sum" });
        await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null);
        await using var client = await RemoteInferenceClient.ConnectAsync(config);
        try
        {
            var bad = new WireTensor("ids", TensorElementType.Int32, [2], new byte[8]);
            var nan = WireTensor.FromFloats("ppg", [2], [1f, float.NaN]);
            var results = await Task.WhenAll(
                client.InferAsync(client.CreateRequest(model, "1", [Vector(3)])),
                client.InferAsync(client.CreateRequest(model, "1", [bad], inputIdentity: "p9")),
                client.InferAsync(client.CreateRequest(model, "1", [nan]))).WaitAsync(Safety);
            Assert.Equal(InferenceStatus.Ok, results[0].Status);
            Assert.Equal(3f, results[0].Outputs[0].ToFloats()[0]);
            Assert.Equal(InferenceStatus.Failed, results[1].Status);
            Assert.Contains("input 'ids' is Int32", results[1].Error);
            Assert.Contains("p9", results[1].Error);
            Assert.Equal(InferenceStatus.Failed, results[2].Status);
            Assert.Contains("input 'ppg' contains a non-finite value", results[2].Error);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task InferRemotely_AsStreamStage_EveryElementGetsItsResultInOrder()
    {
        string model = Broker.UniqueModel("stage");
        var config = Broker.Config("t-stage", new ModelServing { Id = model, Capacity = 8, Handler = "sum" });
        await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null);
        await using var client = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { MaxInFlight = 16 } });
        using var system = Akka.Actor.ActorSystem.Create("t-stage", Akka.Configuration.ConfigurationFactory.ParseString(Vigil.Tests.Common.AkkaTestConfig.Quiet));
        var materializer = Akka.Streams.ActorMaterializer.Create(system);
        try
        {
            var requests = Enumerable.Range(0, 500).Select(i => client.CreateRequest(model, "1", [WireTensor.FromFloats("x", [1], [i])])).ToList();
            var results = await Akka.Streams.Dsl.Source.From(requests)
                .InferRemotely(client, parallelism: 32)
                .RunWith(Akka.Streams.Dsl.Sink.Seq<InferenceResult>(), materializer)
                .WaitAsync(Safety);
            Assert.Equal(requests.Select(r => r.Id), results.Select(r => r.RequestId));
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (float)i), results.Select(r => r.Outputs[0].ToFloats()[0]));
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    [Fact]
    public async Task ResultDeliveredTwice_RequesterSeesOneResultAndCountsTheDuplicate()
    {
        string model = Broker.UniqueModel("dup");
        var config = Broker.Config("t-dup");
        await using var client = await RemoteInferenceClient.ConnectAsync(config);
        await using var connection = await Broker.ConnectAsync(config);
        await using var ch = await connection.CreateChannelAsync();
        try
        {
            var request = client.CreateRequest(model, "1", [Vector(2)]);
            var pending = await client.SendAsync(request).AsTask().WaitAsync(Safety);
            // What a node killed after publishing but before acknowledging causes: a second node answers again.
            foreach (var node in new[] { "first", "second" })
            {
                var frame = FrameCodec.EncodeResults([new InferenceResult(request.Id, InferenceStatus.Ok, model, "1", "", node, "", "", [])]);
                await ch.BasicPublishAsync("", client.ReplyQueue, frame);
            }
            var result = await pending.WaitAsync(Safety);
            Assert.Equal("first", result.Node);
            var until = DateTime.UtcNow + Safety;
            while (client.Metrics.Duplicates == 0 && DateTime.UtcNow < until) await Task.Delay(10);
            Assert.Equal(1, client.Metrics.Duplicates);
            Assert.Equal(1, client.Metrics.Results);
        }
        finally { await Broker.DeleteQueuesAsync(config, Topology.ModelQueue(model, "1")); }
    }

    private sealed class CountingHandler : IInferenceHandler
    {
        private int _calls;
        public int Calls => _calls;
        public string ModelSha256 => "";
        public ValueTask<IReadOnlyList<HandlerOutcome>> InferAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult<IReadOnlyList<HandlerOutcome>>(batch.Select(r => HandlerOutcome.Ok(r.Inputs)).ToList());
        }
    }
}
