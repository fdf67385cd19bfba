using System.Diagnostics;

namespace Vigil.WardConsole.Telemetry;

/// <summary>
/// The console's spans, on the <see cref="ActivitySource"/> <see cref="SourceName"/>: alert
/// acknowledgement, store writes and the live fan-out (API requests come from ASP.NET Core's
/// instrumentation). Span names and tags carry route patterns, kinds and counts, never patient identifiers.
/// </summary>
public static class ConsoleTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Vigil.Console";

    /// <summary>The activity source.</summary>
    public static ActivitySource Source { get; } = new(SourceName, "1.0");
}
