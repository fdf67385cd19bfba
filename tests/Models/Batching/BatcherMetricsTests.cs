using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vigil.Models.Batching;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Batching;

public sealed class BatcherMetricsTests
{
    [Fact]
    public async Task InferAsync_PartialBatchAfterDelay_RecordsBatchSizeQueueWaitAndComputeTime()
    {
        var model = "metrics-" + Guid.NewGuid().ToString("N");   // tests run in parallel: filter on our own tag
        var seen = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == BatcherInstruments.MeterName) l.EnableMeasurementEvents(i); };
        void OnMeasurement(Instrument i, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags) if (t.Key == "model" && (string?)t.Value == model) seen.Enqueue((i.Name, value));
        }
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => OnMeasurement(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => OnMeasurement(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => OnMeasurement(i, v, tags));
        listener.Start();

        var clock = new ManualClock();
        // The handler "computes" for 3 ms of manual time.
        BatchHandler<int, int> handler = (batch, _) => { clock.Advance(TimeSpan.FromMilliseconds(3)); return ValueTask.FromResult<IReadOnlyList<int>>(batch.ToArray()); };
        await using (var b = new DynamicBatcher<int, int>(handler, new DynamicBatcherOptions
                     { ModelId = model, MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(10), TimeProvider = clock }))
        {
            var tasks = new[] { b.InferAsync(1), b.InferAsync(2) };
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(TimeSpan.FromMilliseconds(3), b.Statistics.ComputeTime);
            _ = b.InferAsync(3, clock.GetUtcNow());   // already expired
        }

        var m = seen.ToArray();
        Assert.Equal([2.0], m.Where(x => x.Instrument == "vigil.batcher.batch_size").Select(x => x.Value));
        Assert.Equal([10.0, 10.0], m.Where(x => x.Instrument == "vigil.batcher.queue_wait").Select(x => x.Value));
        Assert.Equal([3.0], m.Where(x => x.Instrument == "vigil.batcher.compute_time").Select(x => x.Value));
        Assert.Equal([1.0], m.Where(x => x.Instrument == "vigil.batcher.deadline_exceeded").Select(x => x.Value));
    }
}
