namespace Vigil.Video.Reporting;

/// <summary>The adapter's identity for provenance: card id, version, sha256, training figures and whether it is for clinical use.</summary>
/// <param name="Id">Card id.</param>
/// <param name="Version">Card version.</param>
/// <param name="Sha256">Weights sha256.</param>
/// <param name="Validation">Held-out figures from the card (e.g. "eval_frame_accuracy=0.95").</param>
/// <param name="BackboneSha256">sha256 of the backbone the adapter was trained on.</param>
/// <param name="NotForClinicalUse">True for demonstration models.</param>
public sealed record AdapterIdentity(string Id, string Version, string Sha256, string Validation, string BackboneSha256, bool NotForClinicalUse)
{
    /// <summary>The motion feature the adapter reads (<c>am-flow</c>, <c>optical-flow</c> or <c>both</c>; from its config).</summary>
    public string Motion { get; init; } = "am-flow";
}
