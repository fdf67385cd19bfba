using OpenCvSharp;

namespace Vigil.Imaging.Video;

/// <summary>
/// Frames from a video file or a stream URL (RTSP, HTTP, ...) through OpenCV's
/// <see cref="VideoCapture"/>. Opening fails with an <see cref="ImageFormatException"/> that names
/// the source; frames come with their position in the stream, so a graph can carry time.
/// </summary>
public sealed class VideoSource : IDisposable
{
    private readonly VideoCapture _capture;
    private readonly string _name;

    private VideoSource(VideoCapture capture, string name)
    {
        _capture = capture;
        _name = name;
    }

    /// <summary>Opens a video file; a missing or undecodable file is an error naming it.</summary>
    public static VideoSource OpenFile(string path)
    {
        if (!File.Exists(path)) throw new ImageFormatException($"{Path.GetFileName(path)}: video file not found ({path})");
        return Open(path, Path.GetFileName(path));
    }

    /// <summary>Opens a stream by URL (e.g. <c>rtsp://host/cam</c>); the FFmpeg backend reads it.</summary>
    public static VideoSource OpenStream(string url) => Open(url, url);

    private static VideoSource Open(string source, string name)
    {
        var capture = new VideoCapture(source, VideoCaptureAPIs.ANY);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new ImageFormatException($"{name}: OpenCV could not open the video (unsupported container or codec, or unreachable stream)");
        }
        return new VideoSource(capture, name);
    }

    /// <summary>Frame width in pixels.</summary>
    public int Width => _capture.FrameWidth;

    /// <summary>Frame height in pixels.</summary>
    public int Height => _capture.FrameHeight;

    /// <summary>Frames per second the container declares (0 when unknown).</summary>
    public double FramesPerSecond => _capture.Fps;

    /// <summary>Frames the container declares (0 or negative for live streams).</summary>
    public int FrameCount => _capture.FrameCount;

    /// <summary>
    /// Reads the next frame into <paramref name="frame"/> (BGR, 8-bit; reused to avoid a native
    /// allocation per frame); returns its position in milliseconds, or null at the end.
    /// </summary>
    public double? Read(Mat frame)
    {
        if (!_capture.Read(frame) || frame.Empty()) return null;
        return _capture.Get(VideoCaptureProperties.PosMsec);
    }

    /// <summary>Each frame as a new Mat with its index and position; the caller disposes the Mats.</summary>
    public IEnumerable<VideoFrame> Frames()
    {
        for (var index = 0; ; index++)
        {
            var frame = new Mat();
            if (Read(frame) is not { } ms)
            {
                frame.Dispose();
                yield break;
            }
            yield return new VideoFrame(index, TimeSpan.FromMilliseconds(ms), frame);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{_name} ({Width}x{Height}, {FramesPerSecond:0.##} fps)";

    /// <summary>Releases the capture.</summary>
    public void Dispose() => _capture.Dispose();
}
