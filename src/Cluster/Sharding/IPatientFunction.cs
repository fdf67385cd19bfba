namespace Vigil.Cluster.Sharding;

/// <summary>
/// The stateful per-patient computation a shard node runs on each window, in window order.
/// Its state must be expressible as a snapshot so it can move to another node.
/// </summary>
public interface IPatientFunction
{
    /// <summary>Folds window <paramref name="seq"/> into the state and returns the output bytes.</summary>
    byte[] Process(long seq, ReadOnlySpan<byte> window);

    /// <summary>The state as bytes, handed to the patient's next owner.</summary>
    byte[] Snapshot();
}

/// <summary>Creates per-patient functions, fresh or from a handed-over snapshot.</summary>
public interface IPatientFunctionFactory
{
    /// <summary>A function for <paramref name="patient"/>; <paramref name="snapshot"/> is null for a fresh start.</summary>
    IPatientFunction Create(string patient, byte[]? snapshot);
}
