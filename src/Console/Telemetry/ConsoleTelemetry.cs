using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Vigil.WardConsole.Telemetry;

/// <summary>
/// How API requests become spans: only <c>/api/</c> and <c>/fhir/</c> requests are traced, and a
/// span names its route pattern (<c>GET /api/patients/{id}</c>) instead of the concrete path — the
/// path and query carry patient identifiers (and, for the live stream, a key), so both are replaced.
/// </summary>
internal static class ConsoleTelemetry
{
    public static void ConfigureRequestSpans(AspNetCoreTraceInstrumentationOptions o)
    {
        o.Filter = context => context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/fhir");
        o.EnrichWithHttpRequest = (activity, request) => Scrub(activity, request.Method, null);
        o.EnrichWithHttpResponse = (activity, response) =>
            Scrub(activity, response.HttpContext.Request.Method, (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched");
    }

    // Until routing has run the route is unknown: the path is dropped, then set to the pattern at the end.
    private static void Scrub(Activity activity, string method, string? route)
    {
        activity.SetTag("url.path", route);
        activity.SetTag("url.query", null);
        activity.SetTag("url.full", null);
        if (route is not null)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = method + " " + route;
        }
    }
}
