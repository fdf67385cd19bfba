namespace Vigil.Cluster.Wire;

/// <summary>The one result of a remote inference request, with provenance.</summary>
/// <param name="RequestId">Id of the request it answers.</param>
/// <param name="Status">Outcome.</param>
/// <param name="ModelId">Model that ran.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="ModelSha256">Hex sha256 of the model artefact (empty when unknown).</param>
/// <param name="Node">Node that produced the result.</param>
/// <param name="InputIdentity">Input provenance echoed from the request.</param>
/// <param name="Error">Why it failed (empty when <see cref="InferenceStatus.Ok"/>).</param>
/// <param name="Outputs">Output tensors (empty unless Ok).</param>
public sealed record InferenceResult(
    Guid RequestId,
    InferenceStatus Status,
    string ModelId,
    string ModelVersion,
    string ModelSha256,
    string Node,
    string InputIdentity,
    string Error,
    IReadOnlyList<WireTensor> Outputs);
