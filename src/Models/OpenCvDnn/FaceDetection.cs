namespace Vigil.Models.OpenCvDnn;

/// <summary>A face found by the detector stage, in source-image pixels.</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
/// <param name="Score">Detector confidence in [0, 1].</param>
/// <param name="Keypoints">Six keypoints (x, y): right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion.</param>
internal sealed record FaceDetection(float X1, float Y1, float X2, float Y2, float Score, (float X, float Y)[] Keypoints)
{
    public float Width => X2 - X1;

    public float Height => Y2 - Y1;

    public float IoU(FaceDetection other)
    {
        var ix = Math.Max(0, Math.Min(X2, other.X2) - Math.Max(X1, other.X1));
        var iy = Math.Max(0, Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1));
        var inter = ix * iy;
        var union = Width * Height + other.Width * other.Height - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
