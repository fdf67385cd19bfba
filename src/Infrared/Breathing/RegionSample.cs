namespace Vigil.Infrared.Breathing;

/// <summary>The nostril region's mean temperature on one frame, or NaN with the reason it was lost.</summary>
/// <param name="Timestamp">The frame's time on its source's clock.</param>
/// <param name="MeanCelsius">Mean temperature of the region, °C; NaN when lost.</param>
/// <param name="Face">The face box the region was placed in (null when no face was found).</param>
/// <param name="LostReason">Why there is no value (no face, face at the edge, ...); null when there is one.</param>
/// <param name="MouthCelsius">Mean temperature of the mouth region, °C (NaN when lost); fast changes there mean talking.</param>
public readonly record struct RegionSample(TimeSpan Timestamp, double MeanCelsius, FaceBox? Face, string? LostReason, double MouthCelsius = double.NaN)
{
    /// <summary>True when the sample carries a temperature.</summary>
    public bool HasValue => LostReason is null && double.IsFinite(MeanCelsius);
}
