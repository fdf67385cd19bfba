using Akka.Actor;
using Vigil.Actors.Wards;

namespace Vigil.Ppg.Actors;

/// <summary>
/// One patient as an Akka actor: owns that patient's <see cref="PatientPpgTracker"/> (created on the
/// first batch, which fixes the channel count), pushes each <see cref="PpgSampleBatch"/> through it
/// and tells every <see cref="PpgWindowResult"/> to the subscriber. A refused batch is told to the
/// subscriber as a <see cref="PpgIngestError"/> and changes nothing. After the idle timeout without
/// a batch it asks its ward (<see cref="PpgWard"/>) to passivate it. Created by the ward only.
/// </summary>
public sealed class PpgPatientActor : ReceiveActor
{
    private readonly string _patient;
    private readonly PpgStreamGraphOptions _options;
    private readonly IActorRef _subscriber;
    private readonly List<PpgWindowResult> _results = new(2);
    private PatientPpgTracker? _tracker;
    private long _windows;

    /// <summary>Creates the actor (use <see cref="Props"/>).</summary>
    public PpgPatientActor(string patient, PpgStreamGraphOptions options, IActorRef subscriber)
    {
        _patient = patient;
        _options = options;
        _subscriber = subscriber;
        Receive<PpgSampleBatch>(OnBatch);
        Receive<PpgWard.GetPatientStatus>(_ => Sender.Tell(new PpgWard.PatientStatus(_patient, Live: true, _windows)));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new EntityIdle(_patient)));
        if (options.IdleTimeout is { } idle) SetReceiveTimeout(idle);
    }

    /// <summary>Props for <paramref name="patient"/>'s actor.</summary>
    public static Props Props(string patient, PpgStreamGraphOptions options, IActorRef subscriber) =>
        Akka.Actor.Props.Create(() => new PpgPatientActor(patient, options, subscriber));

    private void OnBatch(PpgSampleBatch batch)
    {
        _results.Clear();
        try
        {
            _tracker ??= new PatientPpgTracker(_patient, batch.Ppg.Length, _options.Tracker, inputIdentity: _options.InputIdentity?.Invoke(_patient));
            _tracker.Push(batch, _results);
        }
        catch (Exception e) when (e is PpgInputException or ArgumentException)
        {
            _subscriber.Tell(new PpgIngestError(_patient, e.Message));
        }
        _windows += _results.Count;
        foreach (var r in _results) _subscriber.Tell(r);
    }
}
