using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class FrameTests
{
    private const int Width = 1920, Height = 1080;

    [Fact]
    public void Frame_Dispose_ReturnsBufferAndBlocksFurtherUse()
    {
        var pool = new FramePool<byte>();
        var frame = pool.Rent(Width * Height);
        frame.Span[0] = 42;
        frame.Dispose();
        frame.Dispose(); // idempotent
        Assert.Equal(0, pool.Outstanding);
        Assert.Throws<ObjectDisposedException>(() => frame.Span[0]);
    }

    [Fact]
    public async Task Frames_1080pThroughGraph_SteadyStateReusesBuffers()
    {
        using var materializer = new Materializer();
        var pool = new FramePool<byte>();
        long checksum = 0;

        Task RunFrames(int count) => Source.From(Enumerable.Range(0, count))
            .Select(i =>
            {
                var frame = pool.Rent(Width * Height);
                frame.Width = Width;
                frame.Height = Height;
                frame.Sequence = i;
                frame.Span[0] = (byte)i;
                return frame;
            })
            .Async(4)
            .Select(f => { var first = f.Span[0]; f.Dispose(); return (int)first; }) // the consumer owns and releases it
            .RunWith(Sink.ForEach<int>(x => Interlocked.Add(ref checksum, x)), materializer);

        await RunFrames(60).WaitAsync(TimeSpan.FromSeconds(30)); // warm-up: fills the pools
        var framesBefore = pool.FramesCreated;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await RunFrames(300).WaitAsync(TimeSpan.FromSeconds(30)); // 10 s of 30 fps video
        var perFrame = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 300.0;

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(framesBefore, pool.FramesCreated);
        // A frame is ~2 MB; what remains per frame is graph bookkeeping (waits), not payload.
        Assert.True(perFrame < 4096, $"allocated {perFrame:F0} bytes per frame");
    }
}
