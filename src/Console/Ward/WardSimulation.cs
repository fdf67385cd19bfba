using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Ppg;
using Vigil.Ppg.Data;
using Vigil.Ppg.Demo;

namespace Vigil.WardConsole.Ward;

/// <summary>
/// A simulated ward for demonstrations and browser tests: <c>N</c> patients (<c>bed-01</c>…) whose
/// watches send one second of generated wrist PPG and accelerometer samples every second (Vigil's
/// <see cref="SyntheticPpg"/> generator: rest, runs of rising workload, rest, looped), posted into the
/// real PPG graph, so heart rates appear live every 2 s once the first 8 s window closes.
/// </summary>
internal sealed class WardSimulation(WardFeed feed, WardState ward, int patients, ILogger<WardSimulation> log, TimeProvider? time = null) : BackgroundService
{
    private const double SampleRateHz = 64;
    private const double RecordingSeconds = 240;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = time ?? TimeProvider.System;
        var recordings = Enumerable.Range(1, patients).Select(i => SyntheticPpg.Generate(RecordingSeconds, SampleRateHz, seed: i, motionArtefact: 0.4 + 0.1 * (i % 5), channels: 2, name: Id(i)).Recording).ToArray();
        var start = clock.GetUtcNow();
        for (var i = 0; i < patients; i++) ward.Admit(Id(i + 1), start);
        log.LogInformation(new EventId(1701, "WardSimulationStarted"), "Simulated ward started: {Patients} patients at {Rate} Hz", patients, SampleRateHz);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        var second = 0L;
        try
        {
            // Second k's samples are sent when that second has passed (at start + k + 1), as a watch would,
            // so a window is posted complete at the wall time its end stands for.
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                for (var p = 0; p < patients; p++)
                    await feed.PostAsync(Slice(Id(p + 1), recordings[p], second), stoppingToken);
                second++;
            }
        }
        catch (OperationCanceledException) { /* stopping */ }
    }

    private static string Id(int i) => $"bed-{i:00}";

    // Second `second` of the looped recording, on a continuous time axis.
    private static PpgSampleBatch Slice(string id, PpgRecording r, long second)
    {
        var n = (int)SampleRateHz;
        var loops = (long)(RecordingSeconds / 1);
        var from = (int)(second % loops) * n;
        var t = new double[n];
        for (var i = 0; i < n; i++) t[i] = second + i / SampleRateHz;
        return new PpgSampleBatch(id, t, r.Ppg.Select(c => c.AsSpan(from, n).ToArray()).ToArray(),
            r.AccX.AsSpan(from, n).ToArray(), r.AccY.AsSpan(from, n).ToArray(), r.AccZ.AsSpan(from, n).ToArray());
    }
}
