using Microsoft.AspNetCore.Http;

namespace Vigil.WardConsole.Security;

/// <summary>
/// Guards <c>/api/</c> and <c>/fhir/</c> (and <c>/metrics</c> when <see cref="ConsoleOptions.MetricsNeedKey"/>): a request needs a configured key (header <c>X-Api-Key</c>,
/// <c>Authorization: Bearer KEY</c>, or, for the live stream only, the query <c>access_key</c>, since
/// a browser's EventSource cannot send headers): 401 without a valid key, 403 when the key's role is
/// below the route's <see cref="RequiresRole"/>. Every guarded request is audited with its outcome.
/// Runs after routing, so the route's metadata is known.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, AuditLog audit, ConsoleOptions options)
{
    /// <summary>The key holder of the current request (set for guarded routes).</summary>
    public const string PrincipalItem = "vigil.principal";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/fhir") && !(options.MetricsNeedKey && path.StartsWithSegments("/metrics")))
        {
            await next(context);
            return;
        }
        var principal = keys.Find(PresentedKey(context));
        var resource = path.Value ?? "";
        if (principal is null)
        {
            audit.Record(new AuditEntry(DateTimeOffset.UtcNow, "anonymous", "", "denied", resource, StatusCodes.Status401Unauthorized));
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "ApiKey";
            await context.Response.WriteAsJsonAsync(new { error = "an API key is required (header X-Api-Key)" });
            return;
        }
        var needed = context.GetEndpoint()?.Metadata.GetMetadata<RequiresRole>()?.Role ?? WardRole.Viewer;
        if (principal.Role < needed)
        {
            audit.Record(new AuditEntry(DateTimeOffset.UtcNow, principal.Name, principal.Role.ToString(), "denied", resource, StatusCodes.Status403Forbidden));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { error = $"this route needs the {needed} role" });
            return;
        }
        context.Items[PrincipalItem] = principal;
        await next(context);
        var action = HttpMethods.IsGet(context.Request.Method) ? "read" : context.Items["vigil.action"] as string ?? context.Request.Method.ToLowerInvariant();
        audit.Record(new AuditEntry(DateTimeOffset.UtcNow, principal.Name, principal.Role.ToString(), action, resource, context.Response.StatusCode));
    }

    private static string? PresentedKey(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("X-Api-Key", out var h) && h.Count > 0) return h[0];
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        if (context.Request.Path.StartsWithSegments("/api/stream") && context.Request.Query.TryGetValue("access_key", out var q)) return q[0];
        return null;
    }
}
