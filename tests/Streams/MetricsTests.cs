using Vigil.TestKit;
using System.Diagnostics.Metrics;
using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class MetricsTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Handle_MetricsOfGroupByGraph_SnapshotReportsEveryStageWithoutThrowing()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var handle = Source.From(Enumerable.Range(0, 30)).Named("numbers")
            .GroupBy(i => i % 3, key => Flow.Create<int>().Select(i => i * 10), maxKeys: 8).Named("by-key")
            .To(Sink.ToList<int>())
            .Run(materializer);
        var all = await handle.Value.WaitAsync(Safety);

        var metrics = handle.Metrics;
        var groupBy = Assert.Single(metrics, m => m.Stage == "by-key");
        Assert.Equal(30, groupBy.ElementsIn);
        Assert.Equal(30, groupBy.ElementsOut);
        Assert.Equal(0, groupBy.QueueDepth);
        Assert.Equal(30, all.Count);
    }

    [Fact]
    public async Task Meter_LiveGraph_PublishesPerStageCountersAndQueueDepth()
    {
        var meterName = $"Vigil.Streams.Test.{Guid.NewGuid():N}";
        using var materializer = new Materializer(new MaterializerOptions { MeterName = meterName });
        var measurements = new List<(string Instrument, string? Stage, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == meterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        var queue = Source.Queue<int>(64);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = queue.Source.Select(x => x + 1).Named("parse").Async(8).Named("hop")
            .SelectAsync(1, _ => gate.Task).To(Sink.Ignore<int>()).Run(materializer, "metrics-graph");
        for (var i = 0; i < 20; i++) await queue.OfferAsync(i);
        await handle.WhenIdleAsync().WaitAsync(Safety);
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            Assert.Contains(measurements, m => m is { Instrument: "vigil.streams.stage.elements_out", Stage: "parse" } && m.Value >= 9);
            // The blocked consumer leaves the boundary's ring (8) nearly full: its writer is woken only once half is free.
            Assert.Contains(measurements, m => m is { Instrument: "vigil.streams.stage.queue_depth", Stage: "hop", Value: >= 7 and <= 8 });
            Assert.Contains(measurements, m => m.Instrument == "vigil.streams.stage.processing_time");
        }
        gate.SetResult(0);
        queue.Complete();
        await handle.Completion.WaitAsync(Safety);

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? stage = null;
            foreach (var t in tags) if (t.Key == "stage") stage = t.Value as string;
            lock (measurements) measurements.Add((instrument.Name, stage, value));
        }
    }

    [Fact]
    public async Task Handle_Cancel_StopsGraphAndCompletionIsCanceled()
    {
        using var materializer = new Materializer();
        var queue = Source.Queue<int>(4);
        var handle = queue.Source.Select(x => x).Async().To(Sink.Ignore<int>()).Run(materializer);
        await queue.OfferAsync(1);
        handle.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion.WaitAsync(Safety));
        Assert.True(handle.Completion.IsCanceled);
    }

    [Fact]
    public async Task Handle_Metrics_ProcessingTimePercentilesAreOrdered()
    {
        using var materializer = new Materializer();
        var handle = Source.From(Enumerable.Range(0, 5000)).Select(x => { Thread.SpinWait(500); return Math.Sqrt(x); }).Named("sqrt").To(Sink.Ignore<double>()).Run(materializer);
        await handle.Completion.WaitAsync(Safety);
        var m = handle.Metrics.Single(s => s.Stage == "sqrt");
        Assert.True(m.ProcessingP50 <= m.ProcessingP95 && m.ProcessingP95 <= m.ProcessingP99);
        Assert.True(m.ProcessingP99 > TimeSpan.Zero);
    }
}
