using OpenCvSharp;

namespace Vigil.Video.Sources;

/// <summary>A frame chosen by the sampler: its index among sampled frames, the source frame's index and position, and its BGR pixels (the receiver disposes them).</summary>
/// <param name="Source">The video's name (file name or URL), for provenance.</param>
/// <param name="Index">0 for the first sampled frame.</param>
/// <param name="SourceIndex">The frame's index in the source.</param>
/// <param name="Position">Presentation time in the source.</param>
/// <param name="Image">8-bit BGR pixels.</param>
public sealed record SampledFrame(string Source, int Index, int SourceIndex, TimeSpan Position, Mat Image) : IDisposable
{
    /// <summary>Releases the pixels.</summary>
    public void Dispose() => Image.Dispose();
}
