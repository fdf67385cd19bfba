namespace Vigil.Infrared.Alerts;

/// <summary>One criterion of the dyspnea assessment as measured: what, how much, against which threshold, and whether it was met.</summary>
/// <param name="Kind">tachypnea, irregularity, apnoea or au-activity.</param>
/// <param name="Value">Measured value (NaN when not measurable in the window).</param>
/// <param name="Threshold">Threshold in force (the recovery threshold while an alert is active: hysteresis).</param>
/// <param name="Unit">Unit of value and threshold.</param>
/// <param name="Met">True when the value reached the threshold.</param>
/// <param name="Weight">Score the criterion adds when met.</param>
/// <param name="Detail">Where the value comes from (window, AU sample).</param>
public sealed record DyspneaEvidence(string Kind, double Value, double Threshold, string Unit, bool Met, double Weight, string Detail);
