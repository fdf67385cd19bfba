using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Vigil.WardConsole.Live;

namespace Vigil.WardConsole.Api;

/// <summary>
/// <c>GET /api/stream[?patient=ID]</c>: Server-Sent Events. Each event is
/// <c>id: SEQ / event: hr|alert|ack / data: JSON</c>; after a loss the client also receives
/// <c>event: dropped</c> with its running count. The client's queue is bounded (see <see cref="LiveHub"/>).
/// </summary>
internal static class LiveStreamEndpoint
{
    public static async Task RunAsync(HttpContext context, LiveHub hub)
    {
        var patient = context.Request.Query.TryGetValue("patient", out var p) && p.Count > 0 && !string.IsNullOrWhiteSpace(p[0]) ? p[0] : null;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var ct = context.RequestAborted;
        using var client = hub.Connect(patient);
        var body = context.Response.Body;
        try
        {
            await body.WriteAsync(": connected\nretry: 2000\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
            long reportedDrops = 0;
            var sb = new StringBuilder();
            while (await client.Events.WaitToReadAsync(ct))
            {
                sb.Clear();
                // Write what is queued in one go: fewer flushes for a client that fell behind.
                while (sb.Length < 64 * 1024 && client.Events.TryRead(out var e))
                    sb.Append("id: ").Append(e.Sequence.ToString(CultureInfo.InvariantCulture)).Append("\nevent: ").Append(e.Type).Append("\ndata: ").Append(e.Json).Append("\n\n");
                var dropped = client.Dropped;
                if (dropped != reportedDrops)
                {
                    sb.Append("event: dropped\ndata: {\"dropped\":").Append(dropped.ToString(CultureInfo.InvariantCulture)).Append("}\n\n");
                    reportedDrops = dropped;
                }
                await body.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
                await body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) { /* the client went away */ }
        catch (IOException) { /* the connection broke */ }
    }
}
