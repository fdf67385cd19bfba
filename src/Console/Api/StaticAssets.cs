using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Vigil.WardConsole.Api;

/// <summary>The dashboard's files, embedded in the assembly (no CDN, nothing fetched from outside the machine).</summary>
internal static class StaticAssets
{
    private static readonly Assembly Self = typeof(StaticAssets).Assembly;

    public static IResult Serve(string name)
    {
        if (name.Contains("..", StringComparison.Ordinal) || name.Contains('/')) return Results.NotFound();
        var stream = Self.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null) return Results.NotFound();
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }
}
