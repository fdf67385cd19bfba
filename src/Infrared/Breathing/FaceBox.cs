namespace Vigil.Infrared.Breathing;

/// <summary>A face found on a thermal frame, in pixels (left, top, width, height) with the detector's score.</summary>
/// <param name="X">Left.</param>
/// <param name="Y">Top.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="Score">Detector confidence in [0, 1].</param>
public readonly record struct FaceBox(float X, float Y, float Width, float Height, float Score)
{
    /// <summary>Horizontal centre.</summary>
    public float CentreX => X + Width / 2;

    /// <summary>Vertical centre.</summary>
    public float CentreY => Y + Height / 2;
}
