using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Hosting.Tests;

public sealed class AddVigilTests
{
    [Fact]
    public void AddVigil_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddVigil().AddVigil(o => o.StreamBufferSize = 8);
        Assert.Single(services, d => d.ServiceType == typeof(ActorSystem));
        Assert.Single(services, d => d.ServiceType == typeof(IMaterializer));
        using var sp = services.BuildServiceProvider();
        Assert.Equal(8, sp.GetRequiredService<IOptions<VigilOptions>>().Value.StreamBufferSize);
    }

    [Fact]
    public async Task AddVigil_HostWithoutActorSystem_GetsOneNamedFromOptions()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?> { ["Vigil:StreamBufferSize"] = "4" });
        builder.Services.AddVigil(o => o.SystemName = "ward7");
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal("ward7", system.Name);
        Assert.Equal(4, host.Services.GetRequiredService<IOptions<VigilOptions>>().Value.StreamBufferSize);
        Assert.Equal(4, system.Settings.Config.GetInt("akka.stream.materializer.max-input-buffer-size"));
        await host.StopAsync().WaitAsync(TestHosts.Safety);
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task AddVigil_HostWithItsOwnActorSystem_VigilGraphsRunOnIt()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddAkka("hospital", _ => { });
        builder.Services.AddVigil(o => o.SystemName = "hospital");
        var doubled = new TaskCompletionSource<int>();
        builder.Services.AddVigilGraph("doubler", _ => Source.Single(21).Select(x => x * 2).ToMaterialized(Sink.First<int>(), Keep.Right),
            completion: t => t.ContinueWith(r => doubled.TrySetResult(r.Result), TaskScheduler.Default));
        using var host = builder.Build();
        Assert.Single(builder.Services, d => d.ServiceType == typeof(ActorSystem)); // no second system
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal("hospital", system.Name);
        Assert.Equal(42, await doubled.Task.WaitAsync(TestHosts.Safety));
        Assert.Same(system, ((ActorMaterializer)host.Services.GetRequiredService<IMaterializer>()).System);
        await host.StopAsync().WaitAsync(TestHosts.Safety);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingTheSettings()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Vigil:StreamBufferSize"] = "3",
            ["Vigil:SystemName"] = "ward 7",
        });
        builder.Services.AddVigil();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHosts.Safety));
        Assert.Contains(ex.Failures, f => f.Contains("Vigil:StreamBufferSize must be a power of two, at least 1 (was 3)"));
        Assert.Contains(ex.Failures, f => f.Contains("Vigil:SystemName is invalid ('ward 7')"));
    }

    [Fact]
    public void AddVigilPipeline_DuplicateName_Throws()
    {
        var services = new ServiceCollection();
        services.AddVigilPipeline("ingest", (_, _) => Task.CompletedTask);
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddVigilPipeline("ingest", (_, _) => Task.CompletedTask));
        Assert.Contains("'ingest'", ex.Message);
    }
}
