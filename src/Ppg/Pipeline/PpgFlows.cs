using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Vigil.Streams.Dsl;
using Vigil.Streams.Keyed;

namespace Vigil.Ppg;

/// <summary>
/// The PPG heart-rate pipeline as Akka.Streams graphs, for any host to compose into its own graphs.
/// Elements are chunks (a batch of a second or so of one patient's samples), never single samples.
/// </summary>
public static class PpgFlows
{
    /// <summary>
    /// Heart rate per patient: each batch goes to its patient's own <see cref="PatientPpgTracker"/>
    /// (kept in Vigil's per-key stage: one state per patient inside one fused stage, or
    /// <see cref="PpgStreamGraphOptions.Lanes"/> such stages side by side), and every completed window
    /// comes out as a <see cref="PpgWindowResult"/>. A batch the tracker refuses (clock going back,
    /// wrong channel count, ...) goes to <paramref name="refused"/> with the reason and changes nothing
    /// for that patient; other patients never notice.
    /// Emits window results (0 to a few per batch); backpressures when downstream does; completes when
    /// upstream completes; cancels when downstream cancels.
    /// </summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="refused">Receives refused batches; ignored when null.</param>
    public static Flow<PpgSampleBatch, PpgWindowResult, NotUsed> HeartRate(PpgStreamGraphOptions? options = null,
        IGraph<SinkShape<PpgIngestError>, NotUsed>? refused = null)
    {
        var steps = Steps(options ?? new PpgStreamGraphOptions());
        if (refused is not null)
            steps = steps.AlsoTo(Flow.Create<PatientStep>().Where(s => s.Error is not null).Select(s => s.Error!).To(refused));
        return steps.SelectMany(s => s.Results).Named("ppgHeartRate");
    }

    /// <summary>One output per batch: the windows it completed and the refusal, if any.</summary>
    internal static Flow<PpgSampleBatch, PatientStep, NotUsed> Steps(PpgStreamGraphOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        var settings = new PerKeySettings { MaxKeys = o.MaxPatients, IdleTimeout = o.IdleTimeout };
        // Refusals are data (PatientStep.Error); anything else thrown is a bug in one patient's
        // tracker: Restart drops that patient's state only, the others go on.
        var restart = ActorAttributes.CreateSupervisionStrategy(Deciders.RestartingDecider);
        if (o.UseGroupBy)
            return (Flow<PpgSampleBatch, PatientStep, NotUsed>)((SubFlow<PatientStep, NotUsed, Sink<PpgSampleBatch, NotUsed>>)Flow.Create<PpgSampleBatch>()
                .GroupBy(o.MaxPatients, b => b.PatientId)
                .Via(new PerKeyStage<PpgSampleBatch, string, PatientState, PatientStep>(b => b.PatientId, p => new PatientState(p, o), Step, settings,
                    StringComparer.Ordinal).WithAttributes(restart)))
                .MergeSubstreams();
        return Flow.Create<PpgSampleBatch>()
            .Via(VigilStreamOperators.PerKeyLanes<PpgSampleBatch, string, PatientState, PatientStep>(o.Lanes, b => b.PatientId,
                p => new PatientState(p, o), Step, settings, StringComparer.Ordinal).WithAttributes(restart));
    }

    // One patient's state: the tracker is created on the first batch, which fixes the channel count.
    internal sealed class PatientState(string patient, PpgStreamGraphOptions options)
    {
        public string Patient { get; } = patient;
        public PpgStreamGraphOptions Options { get; } = options;
        public PatientPpgTracker? Tracker { get; set; }
    }

    // A refused batch becomes an error of its own patient: nothing throws across patients.
    internal static PatientStep Step(PatientState state, PpgSampleBatch batch)
    {
        var results = new List<PpgWindowResult>(2);
        try
        {
            state.Tracker ??= new PatientPpgTracker(state.Patient, batch.Ppg.Length, state.Options.Tracker,
                inputIdentity: state.Options.InputIdentity?.Invoke(state.Patient));
            state.Tracker.Push(batch, results);
            return new PatientStep(results, null);
        }
        catch (Exception e) when (e is PpgInputException or ArgumentException)
        {
            return new PatientStep(results, new PpgIngestError(state.Patient, e.Message));
        }
    }

    internal sealed record PatientStep(List<PpgWindowResult> Results, PpgIngestError? Error);
}
