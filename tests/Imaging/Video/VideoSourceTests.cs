using OpenCvSharp;
using Vigil.Imaging.Video;
using Vigil.Tests.Common;

namespace Vigil.Imaging.Tests.Video;

public sealed class VideoSourceTests
{
    [Fact]
    public void OpenFile_H264Mp4_ReadsEveryFrameWithRisingTimestamps()
    {
        // 340x256, 30 fps, 300 frames (ffprobe -count_frames).
        using var video = VideoSource.OpenFile(SharedData.Require("assets/video/actions/test.mp4"));
        Assert.Equal((340, 256), (video.Width, video.Height));
        Assert.Equal(30, video.FramesPerSecond, 1);
        var count = 0;
        var last = TimeSpan.MinValue;
        foreach (var frame in video.Frames())
        {
            using (frame)
            {
                Assert.Equal(count, frame.Index);
                Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
                Assert.True(frame.Position > last, $"frame {count} at {frame.Position} after {last}");
                last = frame.Position;
                count++;
            }
        }
        Assert.Equal(300, count);
        Assert.Equal(299 / 30.0, last.TotalSeconds, 1);
    }

    [Fact]
    public void Read_ReusedMat_ReturnsNullAtTheEnd()
    {
        using var video = VideoSource.OpenFile(SharedData.Require("assets/video/help.mkv"));
        using var frame = new Mat();
        var n = 0;
        while (video.Read(frame) is not null) n++;
        Assert.Equal(58, n);
        Assert.Null(video.Read(frame));
    }

    [Fact]
    public void OpenFile_MissingOrNotAVideo_ErrorNamesTheFile()
    {
        var missing = Assert.Throws<ImageFormatException>(() => VideoSource.OpenFile("/nonexistent/clip.mp4"));
        Assert.StartsWith("clip.mp4: video file not found", missing.Message);
        var text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "this is not a video");
            var bad = Assert.Throws<ImageFormatException>(() => VideoSource.OpenFile(text));
            Assert.StartsWith(Path.GetFileName(text) + ": OpenCV could not open the video", bad.Message);
        }
        finally { File.Delete(text); }
    }

    [Fact]
    public void OpenStream_UnreachableUrl_ErrorNamesTheUrl()
    {
        // Nothing listens on port 9 of loopback: the open fails at once, without a network.
        var e = Assert.Throws<ImageFormatException>(() => VideoSource.OpenStream("rtsp://127.0.0.1:9/none"));
        Assert.StartsWith("rtsp://127.0.0.1:9/none: ", e.Message);
    }
}
