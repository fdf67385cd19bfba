using OpenCvSharp;

namespace Vigil.Video.Reporting;

/// <summary>
/// The heat-map overlay as a video (MPEG-4 Part 2 in MP4 through OpenCV's FFmpeg writer): every
/// sampled frame with its heat map, at the sampling rate, so a reader can play where the model looked.
/// </summary>
internal sealed class HeatVideo : IDisposable
{
    private readonly VideoWriter _writer;
    private readonly int _height;
    private readonly OpenCvSharp.Size _size;

    public HeatVideo(string path, double fps, int frameWidth, int frameHeight)
    {
        // At most 360 px high, even sides (the encoder wants them).
        _height = Math.Min(360, frameHeight) & ~1;
        var width = (int)Math.Round(frameWidth * (double)_height / frameHeight) & ~1;
        _size = new OpenCvSharp.Size(width, _height);
        _writer = new VideoWriter(path, FourCC.FromFourChars('m', 'p', '4', 'v'), Math.Max(1, fps), _size);
        if (!_writer.IsOpened())
        {
            _writer.Dispose();
            throw new IOException($"{Path.GetFileName(path)}: OpenCV could not open an MP4 (mp4v) writer");
        }
    }

    public void Write(Mat frame, float[] heat, int rows, int columns)
    {
        using var tile = HeatStrip.Overlay(frame, heat, rows, columns, _height);
        if (tile.Width == _size.Width) _writer.Write(tile);
        else
        {
            using var fitted = new Mat();
            Cv2.Resize(tile, fitted, _size);
            _writer.Write(fitted);
        }
    }

    public void Dispose() => _writer.Dispose();
}
