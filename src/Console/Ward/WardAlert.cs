namespace Vigil.WardConsole.Ward;

/// <summary>
/// An alert raised by an <see cref="IAlertSource"/>, with the evidence a clinician needs to judge it
/// and its acknowledgement.
/// </summary>
public sealed class WardAlert
{
    /// <summary>Unique id (source-chosen, stable).</summary>
    public required string Id { get; init; }

    /// <summary>Whose alert.</summary>
    public required string PatientId { get; init; }

    /// <summary>What kind (e.g. <c>tachycardia</c>, later <c>apnoea</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>The alert source that raised it.</summary>
    public required string Source { get; init; }

    /// <summary>One line for the list.</summary>
    public required string Message { get; init; }

    /// <summary>When it was raised.</summary>
    public required DateTimeOffset Raised { get; init; }

    /// <summary>The results it rests on (e.g. the windows above a threshold), one line each.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }

    /// <summary>Provenance of the method (rule or model id and version), and NOT FOR CLINICAL USE where it applies.</summary>
    public required string Provenance { get; init; }

    /// <summary>Who acknowledged it; null while open.</summary>
    public string? AcknowledgedBy { get; set; }

    /// <summary>When it was acknowledged.</summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }
}
