using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Imaging.Video;

namespace Vigil.Video.Sources;

/// <summary>
/// Videos as Akka.Streams sources of <see cref="SampledFrame"/>s. A file source reads a frame only
/// when downstream asks (backpressure: nothing is lost, the file waits); a live source reads at the
/// camera's pace on a blocking-I/O dispatcher and, when downstream is slower, drops the oldest
/// frames and counts them (materialized <see cref="DropCounter"/>).
/// </summary>
public static class VideoSources
{
    private const string BlockingDispatcher = "akka.stream.default-blocking-io-dispatcher";

    /// <summary>Frames of a video file sampled at <paramref name="framesPerSecond"/> (0: every frame); backpressured.</summary>
    public static Source<SampledFrame, NotUsed> File(string path, double framesPerSecond) =>
        FromFrames(() => VideoSource.OpenFile(path), Path.GetFileName(path), framesPerSecond);

    /// <summary>
    /// Frames from <paramref name="open"/> (a video source, e.g. <see cref="VideoSource.OpenFile"/> or
    /// <see cref="VideoSource.OpenStream"/>), sampled, read only on demand; opened when materialized
    /// and closed when the stream ends.
    /// </summary>
    public static Source<SampledFrame, NotUsed> FromFrames(Func<VideoSource> open, string name, double framesPerSecond) =>
        Source.FromEnumerator(() => Sampled(open, name, framesPerSecond).GetEnumerator());

    /// <summary>
    /// A live source: frames read as fast as <paramref name="open"/> delivers them (a camera's pace)
    /// and buffered up to <paramref name="capacity"/>; beyond that the oldest are dropped and counted.
    /// </summary>
    public static Source<SampledFrame, DropCounter> Live(Func<VideoSource> open, string name, double framesPerSecond, int capacity = 4) =>
        DropOldest(FromFrames(open, name, framesPerSecond)
            .WithAttributes(ActorAttributes.CreateDispatcher(BlockingDispatcher)), capacity);

    /// <summary>
    /// A network stream (<c>rtsp://</c>, <c>http://</c>, ... anything FFmpeg opens by URL) as a live
    /// source: read at the stream's pace, the oldest frames dropped and counted when downstream is slower.
    /// </summary>
    public static Source<SampledFrame, DropCounter> Network(string url, double framesPerSecond, int capacity = 4) =>
        Live(() => VideoSource.OpenStream(url), url, framesPerSecond, capacity);

    /// <summary>Any source made live: an async boundary, then a drop-oldest buffer that counts drops.</summary>
    public static Source<T, DropCounter> DropOldest<T, TMat>(Source<T, TMat> source, int capacity) =>
        source.Async().ViaMaterialized(new DropOldestStage<T>(capacity), Keep.Right);

    private static IEnumerable<SampledFrame> Sampled(Func<VideoSource> open, string name, double framesPerSecond)
    {
        var sampler = new FrameSampler(framesPerSecond);
        using var video = open();
        var kept = 0;
        foreach (var frame in video.Frames())
        {
            if (!sampler.Keep(frame.Position))
            {
                frame.Dispose();
                continue;
            }
            yield return new SampledFrame(name, kept++, frame.Index, frame.Position, frame.Image);
        }
    }
}
