using System.Collections.Concurrent;
using Vigil.Ppg.Data;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;

namespace Vigil.Ppg;

/// <summary>
/// The CSV source: replays recordings into a <see cref="PpgStreamGraph"/> (any <see cref="IPpgIngest"/>) as live batches, either
/// as fast as the pipeline accepts them or paced at real time on a <see cref="TimeProvider"/>.
/// The evaluation and the demo use it, so recorded data takes the same path as live data.
/// </summary>
public static class PpgPipelineRunner
{
    /// <summary>Posts <paramref name="recording"/> as <paramref name="patientId"/> in batches of <paramref name="batchSeconds"/>; paced when <paramref name="pacing"/> is given.</summary>
    public static async Task ReplayAsync(IPpgIngest ingest, PpgRecording recording, string patientId, double batchSeconds = 1,
        TimeProvider? pacing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(recording);
        var batch = Math.Max(1, (int)Math.Round(recording.SampleRateHz * batchSeconds));
        var start = pacing?.GetTimestamp() ?? 0;
        var t0 = recording.TimeSeconds[0];
        for (var i = 0; i < recording.Count; i += batch)
        {
            var count = Math.Min(batch, recording.Count - i);
            if (pacing is not null)
            {
                // A batch is due once its last sample's time has passed since the replay began.
                var due = TimeSpan.FromSeconds(recording.TimeSeconds[i + count - 1] - t0);
                var wait = due - pacing.GetElapsedTime(start);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, pacing, cancellationToken).ConfigureAwait(false);
            }
            await ingest.PostAsync(recording.Slice(patientId, i, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one recording through a fresh <see cref="PpgStreamGraph"/> on <paramref name="materializer"/>
    /// (the live path: bounded ingest → per-patient tracker) and returns its window results in order;
    /// a refused batch throws. Without a materializer, a private ActorSystem is started for the call.
    /// </summary>
    public static async Task<IReadOnlyList<PpgWindowResult>> RunRecordingAsync(PpgRecording recording, PpgTrackerOptions? options = null,
        TimeProvider? pacing = null, IMaterializer? materializer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (materializer is null)
        {
            using var system = CreateSystem("vigil-ppg");
            try
            {
                return await RunRecordingAsync(recording, options, pacing, system.Materializer(), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await system.Terminate().ConfigureAwait(false);
            }
        }
        var results = new ConcurrentQueue<PpgWindowResult>();
        var errors = new ConcurrentQueue<PpgIngestError>();
        var graph = new PpgStreamGraph(materializer, results.Enqueue, errors.Enqueue, new PpgStreamGraphOptions
        {
            Tracker = options ?? PpgTrackerOptions.Default,
            InputIdentity = _ => recording.Identity,
        });
        await using (graph.ConfigureAwait(false))
            await ReplayAsync(graph, recording, recording.Name, pacing: pacing, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (errors.TryPeek(out var error)) throw new PpgInputException($"{recording.Name}: {error.Message}");
        return results.OrderBy(r => r.WindowIndex).ToList();
    }

    /// <summary>A quiet local ActorSystem for command-line runs (warnings and errors logged only).</summary>
    public static ActorSystem CreateSystem(string name) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
}
