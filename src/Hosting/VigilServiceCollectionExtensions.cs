using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vigil.Hosting.Internal;

namespace Vigil.Hosting;

/// <summary>
/// Registers Vigil with Microsoft.Extensions.Hosting on top of Akka.Hosting: a host that already
/// has an ActorSystem (its own <c>AddAkka</c>, called before <see cref="AddVigil"/>) runs Vigil's
/// graphs on it; a host without one gets one from <c>AddAkka</c>. Options come from configuration,
/// graphs and pipelines run as hosted services.
/// </summary>
/// <remarks>
/// Start/stop order: Akka.Hosting's hosted service is registered by <c>AddAkka</c>, before any
/// pipeline, so the ActorSystem starts first. Pipelines start in registration order. At shutdown
/// the host stops hosted services in reverse order: each pipeline is asked to drain and awaited
/// (last registered first), then Akka.Hosting runs the ActorSystem's coordinated shutdown, all
/// within the host's <see cref="HostOptions.ShutdownTimeout"/>; a pipeline still running when it
/// expires is aborted and logged (event 1104).
/// </remarks>
public static class VigilServiceCollectionExtensions
{
    /// <summary>
    /// Adds Vigil: <see cref="VigilOptions"/> bound from the <c>"Vigil"</c> configuration section
    /// (then <paramref name="configure"/>), validated at start; the host's ActorSystem, or a new one
    /// through Akka.Hosting's <c>AddAkka</c> named <see cref="VigilOptions.SystemName"/>; and an
    /// <see cref="IMaterializer"/> singleton on that system. Idempotent: calling it again only adds
    /// <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, Action<VigilOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (Registry(services) is null) AddVigilCore(services, configure);
        if (configure is not null) services.Configure(configure); // after binding: code wins over configuration
        return services;
    }

    private static void AddVigilCore(IServiceCollection services, Action<VigilOptions>? configure)
    {
        // Akka.Hosting names the system at registration, so the name comes from code options.
        var initial = new VigilOptions();
        configure?.Invoke(initial);
        var hostHasSystem = services.Any(d => d.ServiceType == typeof(ActorSystem));
        var registry = new VigilRegistry(hostHasSystem);
        services.AddSingleton(registry);
        services.AddOptions<VigilOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(VigilOptions.SectionName).Bind(options))
            .ValidateOnStart();
        if (!hostHasSystem)
        {
            services.AddAkka(initial.SystemName, (builder, sp) =>
            {
                var o = sp.GetRequiredService<IOptions<VigilOptions>>().Value;
                builder.AddHocon($"akka.stream.materializer.max-input-buffer-size = {Math.Max(1, o.StreamBufferSize)}", HoconAddMode.Prepend);
            });
        }
        var name = hostHasSystem ? null : initial.SystemName;
        services.AddSingleton<IValidateOptions<VigilOptions>>(sp =>
            new VigilOptionsValidator(name ?? sp.GetRequiredService<ActorSystem>().Name));
        services.TryAddSingleton<IMaterializer>(sp => sp.GetRequiredService<ActorSystem>().Materializer(namePrefix: "vigil"));
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
    /// Runs an Akka.Streams graph with the host, on its own materializer of the host's ActorSystem
    /// (named <paramref name="name"/>), materialized at start. <paramref name="completion"/> picks
    /// the task that completes when the graph is done from its materialized value (typically the
    /// sink's <c>Task</c>). At stop, <paramref name="drain"/> asks the graph to finish what it holds
    /// (complete its queue or channel, shut its kill switch) and the completion is awaited; without
    /// <paramref name="drain"/>, or when the shutdown timeout expires, the graph's materializer is
    /// shut down (in-flight elements abandoned). A graph that cannot be materialized fails the host's start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pipeline named <paramref name="name"/> is already registered.</exception>
    public static IServiceCollection AddVigilGraph<TMat>(this IServiceCollection services, string name,
        Func<IServiceProvider, IRunnableGraph<TMat>> build, Func<TMat, Task> completion, Action<IServiceProvider, TMat>? drain = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(completion);
        return services.AddPipeline(name, sp =>
        {
            ActorMaterializer? materializer = null;
            try
            {
                var system = sp.GetRequiredService<ActorSystem>();
                materializer = system.Materializer(namePrefix: "vigil-" + name);
                var value = build(sp).Run(materializer);
                var done = completion(value);
                // A graph stopped by its materializer's shutdown ends abruptly: that is the requested stop.
                var ended = done.ContinueWith(t =>
                {
                    if (t.IsFaulted && t.Exception!.GetBaseException() is AbruptTerminationException or AbruptStageTerminationException) return Task.CompletedTask;
                    return t;
                }, TaskScheduler.Default).Unwrap();
                // Shutting the materializer down stops every stage at once; not every sink's task
                // reports that, so the stop itself ends the pipeline.
                var m = materializer;
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void Stop() { m.Shutdown(); stopped.TrySetResult(); }
                Action requestDrain = drain is null ? Stop : () => drain(sp, value);
                return new PipelineRun(Task.WhenAny(ended, stopped.Task).Unwrap(), requestDrain, Stop);
            }
            catch (Exception ex)
            {
                materializer?.Shutdown();
                return new PipelineRun(Task.FromException(ex), static () => { }, static () => { });
            }
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
    private sealed class VigilRegistry(bool hostHasSystem)
    {
        public bool HostHasSystem { get; } = hostHasSystem;

        public HashSet<string> PipelineNames { get; } = new(StringComparer.Ordinal);
    }
}
