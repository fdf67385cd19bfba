using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vigil.Actors;
using Vigil.Streams;
using Vigil.TestKit;

namespace Vigil.Hosting.Tests;

public sealed class AddVigilTests
{
    [Fact]
    public void AddVigil_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddVigil().AddVigil(o => o.MailboxCapacity = 7);
        Assert.Single(services, d => d.ServiceType == typeof(ActorSystem));
        Assert.Single(services, d => d.ServiceType == typeof(Materializer));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        using var sp = services.BuildServiceProvider();
        Assert.Equal(7, sp.GetRequiredService<IOptions<VigilOptions>>().Value.MailboxCapacity);
    }

    [Fact]
    public async Task AddVigil_NoTimeProviderRegistered_UsesSystemClock()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddVigil();
        using var host = builder.Build();
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Same(TimeProvider.System, system.Time);
        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<Materializer>().Options.TimeProvider);
        await system.ShutdownAsync().WaitAsync(TestHosts.Safety);
    }

    [Fact]
    public async Task AddVigil_TimeProviderRegistered_ActorSystemAndMaterializerUseIt()
    {
        var clock = new ManualClock();
        var builder = TestHosts.Builder();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddVigil();
        using var host = builder.Build();
        Assert.Same(clock, host.Services.GetRequiredService<ActorSystem>().Time);
        Assert.Same(clock, host.Services.GetRequiredService<Materializer>().Options.TimeProvider);
        await host.Services.GetRequiredService<ActorSystem>().ShutdownAsync().WaitAsync(TestHosts.Safety);
    }

    [Fact]
    public async Task AddVigil_VigilConfigurationSection_BindsOptionsIntoActorSystem()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Vigil:SystemName"] = "ward7",
            ["Vigil:MailboxCapacity"] = "5",
            ["Vigil:StreamBufferSize"] = "16",
        });
        builder.Services.AddVigil();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestHosts.Safety);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal("ward7", system.Name);
        Assert.Equal(5, system.Options.DefaultMailboxCapacity);
        Assert.Equal(16, host.Services.GetRequiredService<Materializer>().Options.DefaultBufferSize);
        await host.StopAsync().WaitAsync(TestHosts.Safety);
        Assert.True(system.IsShuttingDown);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingTheSettings()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Vigil:MailboxCapacity"] = "0",
            ["Vigil:SystemName"] = "ward 7",
        });
        builder.Services.AddVigil();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHosts.Safety));
        Assert.Contains(ex.Failures, f => f.Contains("Vigil:MailboxCapacity must be at least 1 (was 0)"));
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
