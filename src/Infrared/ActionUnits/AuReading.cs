namespace Vigil.Infrared.ActionUnits;

/// <summary>What the teacher read from one face.</summary>
/// <param name="X1">Face box left, image pixels.</param>
/// <param name="Y1">Face box top.</param>
/// <param name="X2">Face box right.</param>
/// <param name="Y2">Face box bottom.</param>
/// <param name="FaceScore">Detector confidence in [0, 1].</param>
/// <param name="Presence">The landmark model's face-presence probability.</param>
/// <param name="Intensities">AU intensities in [0, 1], in the order of <see cref="AuMapping.ActionUnits"/>.</param>
/// <param name="Blendshapes">The 52 blendshape scores they came from.</param>
public sealed record AuReading(float X1, float Y1, float X2, float Y2, float FaceScore, float Presence, float[] Intensities, float[] Blendshapes)
{
    /// <summary>Width of the face box.</summary>
    public float Width => X2 - X1;

    /// <summary>Height of the face box.</summary>
    public float Height => Y2 - Y1;
}
