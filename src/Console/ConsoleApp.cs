using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Vigil.Hosting;
using Vigil.WardConsole.Api;
using Vigil.WardConsole.Fhir;
using Vigil.WardConsole.Live;
using Vigil.WardConsole.Reports;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Storage;
using Vigil.WardConsole.Telemetry;
using Vigil.WardConsole.Thermal;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole;

/// <summary>
/// Builds the ward console: an ASP.NET Core application (minimal APIs) that hosts Vigil's Akka
/// graphs (through <c>AddVigil</c>), the REST API under <c>/api/</c>, live Server-Sent Events,
/// FHIR R4 under <c>/fhir/</c>, the embedded dashboard at <c>/</c>, <c>/health</c>, <c>/ready</c> and
/// Prometheus metrics at <c>/metrics</c>.
/// </summary>
public static class ConsoleApp
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    /// <summary>
    /// Creates the application. Options come from the <c>"Console"</c> configuration section, then
    /// <paramref name="configureOptions"/>; <paramref name="customize"/> may change the builder first
    /// (configuration sources, a test server). Throws when the key configuration is invalid, and
    /// <see cref="WardStoreException"/> (one line) when the store cannot be opened.
    /// </summary>
    public static WebApplication Create(Action<ConsoleOptions>? configureOptions = null, Action<WebApplicationBuilder>? customize = null, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = Directory.GetCurrentDirectory() });
        customize?.Invoke(builder);
        var options = new ConsoleOptions();
        builder.Configuration.GetSection(ConsoleOptions.SectionName).Bind(options);
        configureOptions?.Invoke(options);
        builder.WebHost.UseUrls($"http://{options.BindAddress}:{options.Port}");
        // Request paths carry patient ids: ASP.NET's own request logging stays off (the audit log records access).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        ConfigureServices(builder.Services, options);
        var app = builder.Build();
        // Opened now, so a bad store stops start-up with its one line before anything listens.
        _ = app.Services.GetRequiredService<IWardStore>();
        MapEndpoints(app);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services, ConsoleOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(new ApiKeyStore(options.ApiKeys));
        services.AddSingleton(sp =>
        {
            var store = WardStores.Open(options.Storage, options.AuditDatabase, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.WardConsole.Storage"));
            var metrics = sp.GetRequiredService<ConsoleMetrics>();
            metrics.ObserveQueue("store.writes", () => store.QueueDepth);
            metrics.StoreLost = () => store.Lost;
            return store;
        });
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<IWardStore>()));
        services.AddSingleton<ConsoleMetrics>();
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<ConsoleMetrics>();
            var hub = new LiveHub(options.LiveClientBuffer, metrics);
            metrics.LiveClients = () => hub.ClientCount;
            metrics.ObserveQueue("live.client.max", () => hub.LongestQueue);
            return hub;
        });
        services.AddSingleton(sp => new WardState(sp.GetRequiredService<LiveHub>(), options.HistoryPerPatient, store: sp.GetRequiredService<IWardStore>()));
        // Before the alert pump and the graphs: the ward holds what the store kept before anything new arrives.
        services.AddHostedService<WardRestore>();
        services.AddSingleton<WardFeed>();
        services.AddSingleton(_ => BoneAgeReports.Load(options.BoneAgeReports));
        services.AddSingleton(sp =>
        {
            var ward = sp.GetRequiredService<WardState>();
            var rule = new TachycardiaAlertSource(ward, options.TachycardiaBpm, options.TachycardiaWindows);
            ward.HeartRateRecorded += rule.Observe;
            return rule;
        });
        services.AddSingleton<IAlertSource>(sp => sp.GetRequiredService<TachycardiaAlertSource>());
        services.AddHostedService<AlertPump>();
        services.AddVigilPipeline("ward-ppg", (sp, drain) => sp.GetRequiredService<WardFeed>().RunAsync(sp.GetRequiredService<IMaterializer>(), drain));
        if (options.WardSimulation > 0)
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WardSimulation>(sp, options.WardSimulation));
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(ConsoleMetrics.MeterName).AddPrometheusExporter();
            if (options.OtlpEndpoint is { Length: > 0 } otlp) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
        }).WithTracing(t =>
        {
            t.AddSource(ConsoleTracing.SourceName).AddAspNetCoreInstrumentation(ConsoleTelemetry.ConfigureRequestSpans);
            if (options.OtlpEndpoint is { Length: > 0 } otlp) t.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
        });
        services.AddWardModalities(options);
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            // API latency by route pattern (never the concrete path: it carries patient ids).
            if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/fhir")) { await next(context); return; }
            var start = Stopwatch.GetTimestamp();
            await next(context);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            if (route != "/api/stream")
                context.RequestServices.GetRequiredService<ConsoleMetrics>().ApiDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, new KeyValuePair<string, object?>("route", route));
        });
        app.UseMiddleware<ApiKeyMiddleware>();

        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/ready", (WardFeed feed) => feed.Graph.IsCompletedSuccessfully ? Results.Ok(new { status = "ready" }) : Results.Json(new { status = "starting" }, statusCode: 503));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/", () => StaticAssets.Serve("index.html"));
        app.MapGet("/static/{name}", (string name) => StaticAssets.Serve(name));

        var api = app.MapGroup("/api");
        api.MapGet("/patients", (WardState ward) => ward.PatientIds.Select(id => new { id, latest = ward.Latest(id), openAlerts = ward.Alerts.Count(a => a.PatientId == id && a.AcknowledgedBy is null) }));
        api.MapGet("/patients/{id}", (string id, WardState ward, BoneAgeReports reports) =>
            ward.Knows(id) || reports.For(id).Any()
                ? Results.Ok(new { id, heartRate = ward.Latest(id), alerts = ward.Alerts.Where(a => a.PatientId == id), boneAge = reports.For(id) })
                : Results.NotFound(new { error = "unknown patient" }));
        api.MapGet("/patients/{id}/heart-rate", (string id, DateTimeOffset? from, DateTimeOffset? to, WardState ward) =>
            ward.Knows(id) ? Results.Ok(ward.History(id, from, to)) : Results.NotFound(new { error = "unknown patient" }));
        api.MapGet("/alerts", (WardState ward, bool? open) => ward.Alerts.Where(a => open != true || a.AcknowledgedBy is null));
        api.MapPost("/alerts/{id}/ack", (string id, HttpContext context, WardState ward) =>
        {
            context.Items["vigil.action"] = "acknowledge";
            var who = (WardPrincipal)context.Items[ApiKeyMiddleware.PrincipalItem]!;
            using var span = ConsoleTracing.Source.StartActivity("alert.acknowledge");
            var known = ward.Acknowledge(id, who.Name);
            span?.SetTag("vigil.alert.kind", ward.Alert(id)?.Kind);
            span?.SetTag("vigil.role", who.Role.ToString());
            return known ? Results.Ok(ward.Alert(id)) : Results.NotFound(new { error = "unknown alert" });
        }).WithMetadata(new RequiresRole(WardRole.Clinician));
        api.MapGet("/boneage", (BoneAgeReports reports) => reports.All.Select(r => new { id = BoneAgeStudy.Id(r.Row), patientId = r.PatientId, report = r.Row }));
        api.MapGet("/models", (ConsoleOptions o) => ModelCards.Read(o.ModelsFolder));
        api.MapGet("/cluster", (ActorSystem system, LiveHub hub, WardState ward, WardFeed feed, IWardStore store) => new
        {
            system = system.Name,
            cluster = ClusterView.Describe(system),
            store = new { provider = store.Provider, queued = store.QueueDepth, lost = store.Lost },
            address = ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString(),
            uptimeSeconds = Math.Round(system.Uptime.TotalSeconds, 1),
            patients = ward.PatientIds.Count,
            ppg = feed.Graph.IsCompletedSuccessfully ? new { batches = feed.Graph.Result.BatchesProcessed, results = feed.Graph.Result.ResultsEmitted, errors = feed.Graph.Result.Errors } : null,
            live = new { clients = hub.ClientCount, published = hub.Published },
        }).WithMetadata(new RequiresRole(WardRole.Admin));
        api.MapGet("/audit", async (AuditLog audit, int? limit) => await audit.ReadAsync(limit ?? 200)).WithMetadata(new RequiresRole(WardRole.Admin));
        api.MapGet("/stream", (HttpContext context, LiveHub hub) => LiveStreamEndpoint.RunAsync(context, hub));
        app.MapWardModalities();

        app.MapGet("/fhir/Observation", (HttpContext context, WardState ward, BoneAgeReports reports, ThermalWard thermal) =>
        {
            try
            {
                var bundle = ObservationSearch.Run(context.Request.Query, ward, reports, DateTimeOffset.UtcNow, $"{context.Request.Scheme}://{context.Request.Host}", thermal);
                return Fhir(bundle, 200);
            }
            catch (FhirSearchException e)
            {
                return Fhir(ObservationSearch.Outcome(e.Message), 400);
            }
        });
        app.MapGet("/fhir/{**rest}", (string rest) => Fhir(ObservationSearch.Outcome($"'{rest.Split('/')[0]}' is not served here (Observation and DiagnosticReport are)", OperationOutcome.IssueType.NotSupported), 404));
    }

    private static IResult Fhir(Resource resource, int status) =>
        Results.Text(JsonSerializer.Serialize(resource, resource.GetType(), FhirJson), "application/fhir+json; charset=utf-8", statusCode: status);
}
