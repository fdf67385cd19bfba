using Akka.Actor;
using Vigil.Actors.Wards;

namespace Vigil.Ppg.Actors;

/// <summary>
/// The PPG ward: an <see cref="EntityWard"/> (src/Actors) whose entities are
/// <see cref="PpgPatientActor"/>s keyed by <see cref="PpgSampleBatch.PatientId"/>, passivated after
/// <see cref="PpgStreamGraphOptions.IdleTimeout"/>, at most <see cref="PpgStreamGraphOptions.MaxPatients"/>
/// live. The subscriber gets every <see cref="PpgWindowResult"/>, every <see cref="PpgIngestError"/>
/// and an <see cref="EntityPassivated"/> when a patient's state is released.
/// </summary>
public static class PpgWard
{
    /// <summary>Props of a ward whose patients tell their results and refusals to <paramref name="subscriber"/>.</summary>
    public static Props Props(PpgStreamGraphOptions options, IActorRef subscriber) =>
        EntityWard.Props(new EntityWardSettings(
            KeyOf: m => m is PpgSampleBatch b ? b.PatientId : null,
            EntityProps: patient => PpgPatientActor.Props(patient, options, subscriber),
            MaxLive: options.MaxPatients,
            Listener: subscriber));

    /// <summary>Asks for one patient's status; answered by the patient's actor (after every batch sent before it) with <see cref="PatientStatus"/>.</summary>
    /// <param name="Patient">The patient.</param>
    public sealed record GetPatientStatus(string Patient) : IEntityQuery
    {
        /// <inheritdoc />
        public string EntityKey => Patient;

        /// <inheritdoc />
        public object NotLiveReply => new PatientStatus(Patient, Live: false, WindowsEmitted: 0);
    }

    /// <summary>A patient's status.</summary>
    /// <param name="Patient">The patient.</param>
    /// <param name="Live">Whether it has a live actor (and state).</param>
    /// <param name="WindowsEmitted">Windows emitted by the current incarnation.</param>
    public sealed record PatientStatus(string Patient, bool Live, long WindowsEmitted);
}
