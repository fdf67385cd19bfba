using OpenCvSharp;

namespace Vigil.Video.Tests.Fixtures;

/// <summary>Small videos written for tests (MJPG in AVI, which OpenCV writes without ffmpeg codecs).</summary>
internal static class TestVideos
{
    /// <summary>A video of <paramref name="frames"/> frames at <paramref name="fps"/>; frame i is filled with grey level 8·i mod 256.</summary>
    public static string Numbered(int frames, double fps, int size = 32)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-video-{Guid.NewGuid():N}.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new OpenCvSharp.Size(size, size));
        if (!writer.IsOpened()) throw new InvalidOperationException("OpenCV could not open an MJPG writer");
        for (var i = 0; i < frames; i++)
        {
            using var frame = new Mat(size, size, MatType.CV_8UC3, Scalar.All(8 * i % 256));
            writer.Write(frame);
        }
        return path;
    }
}
