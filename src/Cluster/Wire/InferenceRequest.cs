namespace Vigil.Cluster.Wire;

/// <summary>One remote inference request.</summary>
/// <param name="Id">Unique id; results are correlated and deduplicated by it.</param>
/// <param name="ModelId">Model to run.</param>
/// <param name="ModelVersion">Model version.</param>
/// <param name="Inputs">Input tensors.</param>
/// <param name="Deadline">After this instant the request fails instead of running.</param>
/// <param name="Priority">0 (lowest) to 255; a serving node runs higher priorities first among what it holds.</param>
/// <param name="InputIdentity">Provenance of the input (e.g. patient/window id), echoed in the result.</param>
public sealed record InferenceRequest(
    Guid Id,
    string ModelId,
    string ModelVersion,
    IReadOnlyList<WireTensor> Inputs,
    DateTimeOffset Deadline,
    byte Priority = 0,
    string InputIdentity = "");
