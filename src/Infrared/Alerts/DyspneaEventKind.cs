namespace Vigil.Infrared.Alerts;

/// <summary>What happened to a patient's dyspnea alert or its monitoring.</summary>
public enum DyspneaEventKind
{
    /// <summary>Evidence reached the raise score (for the onset windows, or at once for apnoea).</summary>
    AlertRaised,

    /// <summary>Evidence stayed at or below the clear score for the recovery windows.</summary>
    AlertCleared,

    /// <summary>Monitoring is interrupted (face lost, sensor dropout); an active alert is held, not cleared.</summary>
    MonitoringLost,

    /// <summary>Monitoring is back after an interruption.</summary>
    MonitoringResumed,
}
