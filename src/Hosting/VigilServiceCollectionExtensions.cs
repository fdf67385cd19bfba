using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Actors;
using Vigil.Hosting.Internal;
using Vigil.Streams;

namespace Vigil.Hosting;

/// <summary>
/// Registers Vigil with Microsoft.Extensions.Hosting: the actor system, the stream materializer,
/// options from configuration, and pipelines run as hosted services.
/// </summary>
/// <remarks>
/// Start/stop order: the actor system's hosted service is registered by the first
/// <see cref="AddVigil"/> call, before any pipeline, so it starts first. Pipelines start in
/// registration order. At shutdown the host stops hosted services in reverse order: each pipeline
/// is asked to drain and awaited (last registered first), and the actor system drains last
/// (children before parents), all within the host's <see cref="HostOptions.ShutdownTimeout"/>;
/// a pipeline still running when it expires is aborted and logged (event 1104).
/// </remarks>
public static class VigilServiceCollectionExtensions
{
    /// <summary>
    /// Adds Vigil: <see cref="VigilOptions"/> bound from the <c>"Vigil"</c> configuration section
    /// (then <paramref name="configure"/>), validated at start; a <see cref="TimeProvider"/>
    /// (<see cref="TimeProvider.System"/> unless one is already registered); the
    /// <see cref="ActorSystem"/> and the streams <see cref="Materializer"/> as singletons using that
    /// clock and the host's logging. Idempotent: calling it again only adds <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, Action<VigilOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (Registry(services) is null) AddVigilCore(services);
        if (configure is not null) services.Configure(configure); // after binding: code wins over configuration
        return services;
    }

    private static void AddVigilCore(IServiceCollection services)
    {

        services.AddSingleton(new VigilRegistry());
        // Bound from IConfiguration when there is one (a host always has it; a bare ServiceCollection may not).
        services.AddOptions<VigilOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(VigilOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VigilOptions>, VigilOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<VigilOptions>>().Value;
            return new ActorSystem(o.SystemName,
                new ActorSystemOptions { DefaultMailboxCapacity = o.MailboxCapacity, DeadLetterCapacity = o.DeadLetterCapacity },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>());
        });
        services.TryAddSingleton(sp => new Materializer(new MaterializerOptions
        {
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
            DefaultBufferSize = sp.GetRequiredService<IOptions<VigilOptions>>().Value.StreamBufferSize,
        }));
        // Added directly (not AddHostedService) so it is ordered before every pipeline registered later.
        services.AddSingleton<IHostedService, ActorSystemHostedService>();
    }

    /// <summary>
    /// Runs a long-running pipeline with the host. At start, <paramref name="run"/> is called with
    /// the service provider and a drain token and returns a task that completes when the pipeline
    /// has drained. At stop the token is cancelled: the pipeline should stop taking input, finish
    /// what it holds and complete the task. Calls <see cref="AddVigil"/> if needed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pipeline named <paramref name="name"/> is already registered.</exception>
    public static IServiceCollection AddVigilPipeline(this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return services.AddPipeline(name, sp =>
        {
            var drain = new CancellationTokenSource();
            Task completion;
            try { completion = run(sp, drain.Token); }
            catch (Exception ex) { completion = Task.FromException(ex); }
            // The delegate owns its drain; there is nothing to force once the timeout expired.
            return new PipelineRun(completion, drain.Cancel, static () => { });
        });
    }

    /// <summary>
    /// Runs a stream graph with the host: materialized with the registered <see cref="Materializer"/>
    /// (named <paramref name="name"/>) at start. At stop, <paramref name="drain"/> asks it to finish
    /// what it holds (e.g. complete its <see cref="SourceQueue{T}"/> or shut its kill switch) and the
    /// graph's completion is awaited; without <paramref name="drain"/> the graph is cancelled
    /// (in-flight elements abandoned). A graph still running at the shutdown timeout is cancelled.
    /// A graph that cannot be materialized (e.g. refused as deadlock-prone) fails the host's start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pipeline named <paramref name="name"/> is already registered.</exception>
    public static IServiceCollection AddVigilGraph<TMat>(this IServiceCollection services, string name,
        Func<IServiceProvider, RunnableGraph<TMat>> build, Action<IServiceProvider, TMat>? drain = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        return services.AddPipeline(name, sp =>
        {
            GraphHandle<TMat> handle;
            try
            {
                handle = sp.GetRequiredService<Materializer>().Materialize(build(sp), name);
            }
            catch (Exception ex)
            {
                return new PipelineRun(Task.FromException(ex), static () => { }, static () => { });
            }
            Action requestDrain = drain is null ? handle.Cancel : () => drain(sp, handle.Value);
            return new PipelineRun(handle.Completion, requestDrain, handle.Cancel);
        });
    }

    private static IServiceCollection AddPipeline(this IServiceCollection services, string name, Func<IServiceProvider, PipelineRun> start)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddVigil();
        if (!Registry(services)!.PipelineNames.Add(name))
            throw new InvalidOperationException($"A Vigil pipeline named '{name}' is already registered.");
        var definition = new PipelineDefinition(name, start);
        // One descriptor per pipeline (AddHostedService would de-duplicate by type).
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<PipelineHostedService>(sp, definition));
        return services;
    }

    private static VigilRegistry? Registry(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(VigilRegistry))?.ImplementationInstance as VigilRegistry;

    /// <summary>Marks the collection as having Vigil registered and remembers pipeline names.</summary>
    private sealed class VigilRegistry
    {
        public HashSet<string> PipelineNames { get; } = new(StringComparer.Ordinal);
    }
}
