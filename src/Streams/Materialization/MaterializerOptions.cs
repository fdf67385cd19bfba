namespace Vigil.Streams;

/// <summary>Settings shared by every graph a <see cref="Materializer"/> runs.</summary>
public sealed class MaterializerOptions
{
    /// <summary>The clock every time-based operator uses (GroupedWithin, Throttle, idle expiry, backoff).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> publishing per-stage metrics.</summary>
    public string MeterName { get; init; } = "Vigil.Streams";

    /// <summary>Capacity of the buffer behind each <c>Async()</c> boundary and fan-out output.</summary>
    public int DefaultBufferSize { get; init; } = 64;

    /// <summary>Supervision for stages that set none (default: Stop).</summary>
    public Decider Decider { get; init; } = Supervision.Stop;

    /// <summary>Where dead letters go besides the graph handle's recent history (optional).</summary>
    public IDeadLetterSink? DeadLetters { get; init; }
}
