namespace Vigil.Cluster.Sharding;

/// <summary>
/// The stateful per-patient computation a patient entity runs on each window, in window order.
/// Its state must be expressible as a snapshot: the entity persists it, and a patient that moves
/// to another node (crash, leave, rebalance) resumes from it.
/// </summary>
public interface IPatientFunction
{
    /// <summary>Folds window <paramref name="seq"/> into the state and returns the output bytes.</summary>
    byte[] Process(long seq, ReadOnlySpan<byte> window);

    /// <summary>The state as bytes, persisted in the patient's snapshot.</summary>
    byte[] Snapshot();
}

/// <summary>Creates per-patient functions, fresh or from a persisted snapshot.</summary>
public interface IPatientFunctionFactory
{
    /// <summary>A function for <paramref name="patient"/>; <paramref name="snapshot"/> is null for a fresh start.</summary>
    IPatientFunction Create(string patient, byte[]? snapshot);
}
