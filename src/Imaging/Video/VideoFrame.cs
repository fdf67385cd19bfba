using OpenCvSharp;

namespace Vigil.Imaging.Video;

/// <summary>One decoded frame: its index from the start, its position in the stream, and the BGR pixels (the receiver disposes them).</summary>
/// <param name="Index">0 for the first frame read.</param>
/// <param name="Position">Presentation time the decoder reports.</param>
/// <param name="Image">8-bit BGR pixels.</param>
public sealed record VideoFrame(int Index, TimeSpan Position, Mat Image) : IDisposable
{
    /// <summary>Releases the pixels.</summary>
    public void Dispose() => Image.Dispose();
}
