namespace Vigil.Ppg;

/// <summary>Whether a display may show a window's heart rate.</summary>
public enum PpgStatus
{
    /// <summary>Supported by the signal: show it.</summary>
    Ok,
    /// <summary>Computed but weakly supported (motion, weak pulse): show it marked as uncertain.</summary>
    LowConfidence,
    /// <summary>Not supported by the signal (dropout, clipping, flat signal, severe motion): do not show it.</summary>
    Withheld,
}

/// <summary>Wire names of <see cref="PpgStatus"/>.</summary>
public static class PpgStatusNames
{
    /// <summary><c>ok</c>, <c>low_confidence</c> or <c>withheld</c>.</summary>
    public static string ToWire(this PpgStatus status) => status switch
    {
        PpgStatus.Ok => "ok",
        PpgStatus.LowConfidence => "low_confidence",
        _ => "withheld",
    };
}
