namespace Vigil.Infrared.Alerts;

/// <summary>A change of one patient's dyspnea alert or of its monitoring, with the evidence behind it.</summary>
/// <param name="PatientId">Patient.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When, on the breathing windows' clock (a window's end, or the last data time plus the dropout delay).</param>
/// <param name="AlertActive">Whether the alert is active after this event.</param>
/// <param name="Score">Evidence score of the deciding window (NaN for monitoring events).</param>
/// <param name="Evidence">Every criterion assessed for the decision, met or not.</param>
/// <param name="Reason">One line saying why.</param>
/// <param name="Provenance">Card id/version and the inputs' provenance.</param>
public sealed record DyspneaEvent(
    string PatientId,
    DyspneaEventKind Kind,
    TimeSpan Time,
    bool AlertActive,
    double Score,
    IReadOnlyList<DyspneaEvidence> Evidence,
    string Reason,
    string Provenance);
