namespace Vigil.Ppg;

/// <summary>
/// Live ingest of wrist samples from any .NET host: post each patient's sample batches in time
/// order; results arrive on the pipeline's result sink. Batches of different patients are
/// independent: one patient's invalid batch is reported for that patient only.
/// </summary>
public interface IPpgIngest
{
    /// <summary>Queues a batch, waiting while its shard's queue is full (backpressure).</summary>
    ValueTask PostAsync(PpgSampleBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Queues a batch if its shard has room; false when full (the caller keeps it).</summary>
    bool TryPost(PpgSampleBatch batch);
}

/// <summary>A batch the pipeline refused, and why (the patient's state is unchanged).</summary>
/// <param name="PatientId">Whose batch it was.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record PpgIngestError(string PatientId, string Message);
