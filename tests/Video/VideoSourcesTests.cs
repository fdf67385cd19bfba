using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Vigil.Tests.Common;
using Vigil.Video.Sources;
using Vigil.Video.Tests.Fixtures;

namespace Vigil.Video.Tests;

public sealed class VideoSourcesTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.VirtualTime)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public void FrameSampler_25To8Fps_KeepsEightPerSecondEvenlySpaced()
    {
        var sampler = new FrameSampler(8);
        var kept = Enumerable.Range(0, 100).Where(i => sampler.Keep(TimeSpan.FromSeconds(i / 25.0))).ToList();
        Assert.Equal(32, kept.Count);
        Assert.All(kept.Zip(kept.Skip(1)), p => Assert.InRange(p.Second - p.First, 3, 4));
    }

    [Fact]
    public void FrameSampler_ZeroRate_KeepsEveryFrame()
    {
        var sampler = new FrameSampler(0);
        Assert.All(Enumerable.Range(0, 10), i => Assert.True(sampler.Keep(TimeSpan.FromMilliseconds(i))));
    }

    [Fact]
    public void FrameSampler_NegativeRate_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSampler(-1));

    [Fact]
    public async Task File_SampledAt5FpsFrom20Fps_EmitsEveryFourthFrameInOrder()
    {
        var path = TestVideos.Numbered(frames: 40, fps: 20);
        try
        {
            var frames = await VideoSources.File(path, 5).RunWith(Sink.Seq<SampledFrame>(), Sys.Materializer()).WaitAsync(Safety);
            Assert.Equal([0, 4, 8, 12, 16, 20, 24, 28, 32, 36], frames.Select(f => f.SourceIndex));
            Assert.Equal(Enumerable.Range(0, 10), frames.Select(f => f.Index));
            // The pixels are the frame's own (grey level 8·i, through JPEG).
            Assert.InRange(frames[3].Image.Mean().Val0, 8 * 12 - 4, 8 * 12 + 4);
            foreach (var f in frames) f.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_Backpressure_ReadsOnlyWhatIsRequested()
    {
        var path = TestVideos.Numbered(frames: 30, fps: 10);
        try
        {
            var probe = VideoSources.File(path, 0).RunWith(this.SinkProbe<SampledFrame>(), Sys.Materializer());
            probe.Request(2);
            var a = probe.ExpectNext(Safety);
            var b = probe.ExpectNext(Safety);
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
            probe.Request(1);
            var c = probe.ExpectNext(Safety);
            Assert.Equal([0, 1, 2], new[] { a, b, c }.Select(f => f.SourceIndex));
            probe.Cancel();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_Missing_FailsNamingTheFile()
    {
        var probe = VideoSources.File("/nonexistent/clip.mp4", 8).RunWith(this.SinkProbe<SampledFrame>(), Sys.Materializer());
        var error = probe.ExpectSubscriptionAndError();
        Assert.Contains("clip.mp4", error.Message);
    }

    [Fact]
    public async Task Network_StreamUrl_EveryFrameIsDeliveredInOrderOrCountedAsDropped()
    {
        var path = TestVideos.Numbered(frames: 40, fps: 20);
        try
        {
            // FFmpeg opens the file through its URL protocol, as it would an rtsp:// or http:// camera.
            var (counter, frames) = VideoSources.Network("file:" + path, 0, capacity: 2)
                .ToMaterialized(Sink.Seq<SampledFrame>(), Keep.Both).Run(Sys.Materializer());
            var received = await frames.WaitAsync(Safety);
            Assert.Equal(40, received.Count + counter.Dropped);
            Assert.Equal(received.Select(f => f.SourceIndex).Order(), received.Select(f => f.SourceIndex));
            // The newest frame is never the one dropped.
            Assert.Equal(39, received[^1].SourceIndex);
            Assert.Equal("file:" + path, received[0].Source);
            foreach (var f in received) f.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DropOldest_SlowConsumer_KeepsNewestAndCountsDrops()
    {
        var (upstream, counter, downstream) = Materialize<int>(3);
        downstream.EnsureSubscription();
        for (var i = 1; i <= 10; i++) upstream.SendNext(i);
        downstream.Request(3);
        Assert.Equal([8, 9, 10], new[] { downstream.ExpectNext(Safety), downstream.ExpectNext(Safety), downstream.ExpectNext(Safety) });
        Assert.Equal(7, counter.Dropped);
        upstream.SendComplete();
        downstream.Request(1);
        downstream.ExpectComplete();
    }

    [Fact]
    public void DropOldest_FastConsumer_DropsNothing()
    {
        var (upstream, counter, downstream) = Materialize<int>(2);
        downstream.Request(100);
        for (var i = 1; i <= 20; i++)
        {
            upstream.SendNext(i);
            Assert.Equal(i, downstream.ExpectNext(Safety));
        }
        Assert.Equal(0, counter.Dropped);
    }

    [Fact]
    public void DropOldest_DroppedFrames_AreDisposed()
    {
        var disposed = 0;
        var (upstream, counter, downstream) = Materialize<Disposable>(1);
        downstream.EnsureSubscription();
        for (var i = 0; i < 4; i++) upstream.SendNext(new Disposable(() => disposed++));
        downstream.Request(1);
        downstream.ExpectNext(Safety);
        Assert.Equal(3, counter.Dropped);
        Assert.Equal(3, disposed);
    }

    private (TestPublisher.Probe<T>, DropCounter, TestSubscriber.Probe<T>) Materialize<T>(int capacity)
    {
        var ((upstream, counter), downstream) = this.SourceProbe<T>()
            .ViaMaterialized(new DropOldestStage<T>(capacity), Keep.Both)
            .ToMaterialized(this.SinkProbe<T>(), Keep.Both)
            .Run(Sys.Materializer());
        return (upstream, counter, downstream);
    }

    private sealed class Disposable(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
