using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Vigil.Hosting.Tests;

public sealed class PipelineHostingTests
{
    [Fact]
    public async Task StopAsync_PipelineWithQueuedWork_DrainsIntoLiveActorsBeforeActorSystemStops()
    {
        var input = Channel.CreateUnbounded<int>();
        var processed = new ConcurrentQueue<int>();
        var builder = TestHosts.Builder();
        builder.Services.AddVigilPipeline("ingest", async (sp, drain) =>
        {
            var system = sp.GetRequiredService<ActorSystem>();
            var sink = system.ActorOf(Props.Create(() => new RecordingActor(processed)), "sink");
            using var stop = drain.Register(() => input.Writer.TryComplete()); // drain: stop accepting input
            await foreach (var item in input.Reader.ReadAllAsync())
                if (await sink.Ask<int>(item, TestHosts.Safety) != item) throw new InvalidOperationException($"item {item} was not acknowledged");
        });
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        for (var i = 0; i < 500; i++) Assert.True(input.Writer.TryWrite(i));

        await host.StopAsync().WaitAsync(TestHosts.Safety);

        // Everything offered before stop went through the pipeline into the actor, which drained before the system stopped.
        Assert.Equal(Enumerable.Range(0, 500), processed);
        Assert.False(input.Writer.TryWrite(500));
        Assert.True(host.Services.GetRequiredService<ActorSystem>().WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task StopAsync_SeveralPipelines_StoppedInReverseOrderOfStart()
    {
        var events = new ConcurrentQueue<string>();
        var builder = TestHosts.Builder();
        foreach (var name in new[] { "first", "second", "third" })
        {
            builder.Services.AddVigilPipeline(name, async (_, drain) =>
            {
                events.Enqueue("start " + name);
                await Task.Delay(Timeout.InfiniteTimeSpan, drain).ContinueWith(_ => { }, TaskScheduler.Default);
                events.Enqueue("drained " + name);
            });
        }
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        await host.StopAsync().WaitAsync(TestHosts.Safety);
        Assert.Equal(new[] { "start first", "start second", "start third", "drained third", "drained second", "drained first" }, events);
    }

    [Fact]
    public async Task StartAsync_PipelineThrowsAtStart_HostStartFails()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddVigilPipeline("broken", (_, _) => throw new InvalidDataException("model file is corrupt"));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => host.StartAsync().WaitAsync(TestHosts.Safety));
        Assert.Equal("model file is corrupt", ex.Message);
    }

    [Fact]
    public async Task StopAsync_PipelineIgnoresDrain_AbandonedAtShutdownTimeoutAndLogged()
    {
        var logs = new CapturedLogs();
        var builder = TestHosts.Builder(logs: logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.Zero); // already expired: no wall-clock wait
        var never = new TaskCompletionSource();
        builder.Services.AddVigilPipeline("stuck", (_, _) => never.Task);
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        try { await host.StopAsync().WaitAsync(TestHosts.Safety); }
        catch (OperationCanceledException) { } // the host may report its own expired token
        Assert.Contains(logs.Events, e => e.Id == 1104 && e.Message.Contains("stuck"));
        never.SetResult();
    }

    [Fact]
    public async Task Pipeline_FailsWhileRunning_LoggedAndApplicationStopped()
    {
        var logs = new CapturedLogs();
        var builder = TestHosts.Builder(logs: logs);
        var fail = new TaskCompletionSource();
        builder.Services.AddVigilPipeline("flaky", async (_, _) => { await fail.Task; throw new IOException("device gone"); });
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        fail.SetResult();
        await stopping.Task.WaitAsync(TestHosts.Safety);
        Assert.Contains(logs.Events, e => e.Id == 1105 && e.Message.Contains("flaky"));
        Assert.Contains(logs.Events, e => e.Id == 1109);
        await host.StopAsync().WaitAsync(TestHosts.Safety);
    }

    [Fact]
    public async Task AddVigilGraph_ChannelGraph_DrainsOfferedElementsOnStop()
    {
        var results = new ConcurrentQueue<int>();
        var input = Channel.CreateBounded<int>(1024);
        Task? completion = null;
        var builder = TestHosts.Builder();
        builder.Services.AddVigilGraph("doubler",
            _ => ChannelSource.FromReader(input.Reader).Select(x => x * 2).ToMaterialized(Sink.ForEach<int>(results.Enqueue), Keep.Right),
            completion: done => completion = done,
            drain: (_, _) => input.Writer.TryComplete());
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        for (var i = 0; i < 100; i++) await input.Writer.WriteAsync(i).AsTask().WaitAsync(TestHosts.Safety);

        await host.StopAsync().WaitAsync(TestHosts.Safety);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), results);
        Assert.Equal(TaskStatus.RanToCompletion, completion!.Status); // drained, not cancelled
    }

    [Fact]
    public async Task AddVigilGraph_NoDrainGiven_StoppedOnStop()
    {
        var logs = new CapturedLogs();
        var builder = TestHosts.Builder(logs: logs);
        var input = Channel.CreateBounded<int>(8); // never completed: only stopping its materializer ends this graph
        Task? completion = null;
        builder.Services.AddVigilGraph("live", _ => ChannelSource.FromReader(input.Reader).ToMaterialized(Sink.Ignore<int>(), Keep.Right),
            completion: done => completion = done);
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        Assert.False(completion!.IsCompleted);
        await host.StopAsync().WaitAsync(TestHosts.Safety);
        // Stopped by its materializer's shutdown (event 1103), not abandoned at the shutdown timeout (1104).
        Assert.Contains(logs.Events, e => e.Id == 1103 && e.Message.Contains("live"));
        Assert.DoesNotContain(logs.Events, e => e.Id == 1104);
    }

    [Fact]
    public async Task AddVigilGraph_GraphFailsWhileRunning_ApplicationStopped()
    {
        var logs = new CapturedLogs();
        var builder = TestHosts.Builder(logs: logs);
        var input = Channel.CreateBounded<int>(8);
        builder.Services.AddVigilGraph("validator",
            _ => ChannelSource.FromReader(input.Reader).Select(x => x >= 0 ? x : throw new InvalidDataException($"reading {x} is negative"))
                .ToMaterialized(Sink.Ignore<int>(), Keep.Right),
            completion: done => done);
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        await input.Writer.WriteAsync(-1);
        await stopping.Task.WaitAsync(TestHosts.Safety);
        Assert.Contains(logs.Events, e => e.Id == 1105 && e.Message.Contains("validator"));
        await host.StopAsync().WaitAsync(TestHosts.Safety);
    }

    /// <summary>Records each int and acknowledges it to the sender.</summary>
    private sealed class RecordingActor : ReceiveActor
    {
        public RecordingActor(ConcurrentQueue<int> processed) =>
            Receive<int>(m => { processed.Enqueue(m); Sender.Tell(m); });
    }
}
