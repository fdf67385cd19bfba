using Vigil.Ppg;
using Vigil.Tests.Common;

namespace Vigil.Ppg.Tests;

/// <summary>
/// The evaluation graph run many times at once under CPU load, some runs on a shared ActorSystem and
/// some on their own (as two `vigil ppg eval` processes would): the old engine crashed here about one
/// time in twenty ("result already consumed" while disposing the graph). Every run must succeed with
/// exactly the direct tracker's results.
/// </summary>
public sealed class PpgEvaluationStressTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Quiet)
{
    [Fact]
    public async Task RunRecording_ManyConcurrentRunsUnderLoad_NoneFailsAllExact()
    {
        var recordings = Enumerable.Range(0, 6).Select(i => TestSignals.Synthetic(seconds: 30, seed: 40 + i).Recording).ToArray();
        var expected = recordings.Select(r => TestSignals.Run(r).Select(w => (w.WindowIndex, w.Bpm)).ToList()).ToArray();
        using var stop = new CancellationTokenSource();
        // Load: busy threads competing with the graphs for the cores.
        var load = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() =>
        {
            var x = 0.0;
            while (!stop.IsCancellationRequested) x += Math.Sqrt(x + 1);
            return x;
        })).ToArray();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                var runs = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
                {
                    var k = i % recordings.Length;
                    var materializer = i % 4 == 0 ? null : Akka.Streams.ActorMaterializer.Create(Sys);
                    var results = await PpgPipelineRunner.RunRecordingAsync(recordings[k], materializer: materializer).ConfigureAwait(false);
                    return (k, results);
                })).ToArray();
                foreach (var (k, results) in await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(3)))
                    Assert.Equal(expected[k], results.Select(w => (w.WindowIndex, w.Bpm)));
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load);
        }
    }
}
