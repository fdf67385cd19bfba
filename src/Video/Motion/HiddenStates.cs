using System.Text.Json.Serialization;

namespace Vigil.Video.Motion;

/// <summary>
/// Whether an adapter also reads the frozen backbone's hidden states, beside the motion and heat
/// blocks (<see cref="HiddenStateFeatures"/>). Named on the command line and in an adapter config as
/// <c>none</c> or <c>pooled</c>.
/// </summary>
public enum HiddenStates
{
    /// <summary>Motion and heat only (the default).</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>
    /// Also the backbone's hidden-state tensor averaged over the patch tokens (locations for a CNN),
    /// then over contiguous channel groups: a short position-free vector per frame.
    /// </summary>
    [JsonStringEnumMemberName("pooled")]
    Pooled,
}
