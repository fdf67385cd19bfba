using Akka.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Hosting;
using Vigil.WardConsole.Fhir;
using Vigil.WardConsole.Reports;
using Vigil.WardConsole.Thermal;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Api;

/// <summary>
/// The console's modality views beyond heart rate: bone-age radiographs and DiagnosticReports,
/// thermal breathing, blinks and action units (with dyspnea alerts through <see cref="IAlertSource"/>),
/// and video action segments with heat maps. Registered by <see cref="ConsoleApp"/> through
/// <see cref="AddWardModalities"/> and <see cref="MapWardModalities"/>.
/// </summary>
internal static class ModalityEndpoints
{
    public static IServiceCollection AddWardModalities(this IServiceCollection services, ConsoleOptions options)
    {
        services.AddSingleton(sp => new ThermalWard(sp.GetRequiredService<Live.LiveHub>(), options.HistoryPerPatient, sp.GetRequiredService<Storage.IWardStore>()));
        services.AddSingleton<DyspneaAlertSource>();
        services.AddSingleton<IAlertSource>(sp => sp.GetRequiredService<DyspneaAlertSource>());
        services.AddSingleton(_ => new VideoResults(options.VideoResults));
        var beds = Math.Min(options.WardSimulation, options.ThermalBeds);
        if (beds > 0)
        {
            services.AddSingleton<ThermalSimulation>();
            services.AddVigilPipeline("ward-thermal", (sp, drain) => sp.GetRequiredService<ThermalSimulation>().RunAsync(sp.GetRequiredService<IMaterializer>(), beds, drain));
        }
        return services;
    }

    public static void MapWardModalities(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/boneage/{id}/image", (string id, BoneAgeReports reports) =>
        {
            if (reports.Study(id) is not { } study) return Results.NotFound(new { error = $"no bone-age study '{id}'" });
            var name = Path.GetFileName(study.Row.Image);
            if (reports.ImagePath(study.Row) is not { } path)
                return Results.NotFound(new { error = $"bone-age study {id}: image '{name}' not found (looked beside the report and in the working directory)" });
            try
            {
                return Results.File(RadiographPreview.Render(path), "image/png");
            }
            catch (Exception e) when (RadiographPreview.IsBadImage(e))
            {
                return Results.UnprocessableEntity(new { error = $"bone-age study {id}: {OneLine(e.Message)}" });
            }
        });

        api.MapGet("/thermal", (ThermalWard thermal) => thermal.PatientIds);
        api.MapGet("/patients/{id}/breathing", (string id, DateTimeOffset? from, DateTimeOffset? to, ThermalWard thermal, WardState ward) =>
            thermal.Knows(id) || ward.Knows(id)
                ? Results.Ok(new { windows = thermal.Breathing(id, from, to), dyspnea = thermal.Dyspnea(id, from, to) })
                : Results.NotFound(new { error = "unknown patient" }));
        api.MapGet("/patients/{id}/blinks", (string id, DateTimeOffset? from, DateTimeOffset? to, ThermalWard thermal, WardState ward) =>
            thermal.Knows(id) || ward.Knows(id)
                ? Results.Ok(new { blinks = thermal.Blinks(id, from, to), actionUnits = thermal.ActionUnits(id, from, to) })
                : Results.NotFound(new { error = "unknown patient" }));

        api.MapGet("/video", (VideoResults video) => video.Runs());
        api.MapGet("/video/{run}", (string run, VideoResults video) =>
            video.Run(run) is { } r ? Results.Ok(r) : Results.NotFound(new { error = $"no video run '{run}'" }));
        api.MapGet("/video/{run}/images/{name}", (string run, string name, VideoResults video) =>
            video.ImagePath(run, name) is { } path ? Results.File(path, "image/png") : Results.NotFound(new { error = $"no image '{name}' in video run '{run}'" }));

        app.MapGet("/fhir/DiagnosticReport", (HttpContext context, BoneAgeReports reports) =>
        {
            try { return FhirResults.Of(DiagnosticReportSearch.Run(context.Request.Query, reports, DateTimeOffset.UtcNow, BaseUrl(context))); }
            catch (FhirSearchException e) { return FhirResults.BadRequest(e.Message); }
        });
        app.MapGet("/fhir/DiagnosticReport/{id}", (string id, BoneAgeReports reports) =>
            DiagnosticReportSearch.Read(id, reports, DateTimeOffset.UtcNow) is { } r ? FhirResults.Of(r) : FhirResults.NotFound($"DiagnosticReport '{id}' not found"));
        app.MapGet("/fhir/Observation/{id}", (string id, WardState ward, BoneAgeReports reports, ThermalWard thermal) =>
            ObservationSearch.Read(id, ward, reports, DateTimeOffset.UtcNow, thermal) is { } o ? FhirResults.Of(o) : FhirResults.NotFound($"Observation '{id}' not found"));
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
