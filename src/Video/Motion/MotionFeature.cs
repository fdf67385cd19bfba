using System.Text.Json.Serialization;

namespace Vigil.Video.Motion;

/// <summary>
/// The motion signal an adapter reads between consecutive frames, beside each frame's heat map
/// (<see cref="MotionFeatures"/> gives the layouts). Named on the command line and in an adapter
/// config as <c>am-flow</c>, <c>optical-flow</c> or <c>both</c>.
/// </summary>
public enum MotionFeature
{
    /// <summary>AM flow on the patch grid (the paper's feature; the default).</summary>
    [JsonStringEnumMemberName("am-flow")]
    AmFlow,

    /// <summary>Farnebäck optical flow of the patch heat maps: horizontal and vertical components per patch.</summary>
    [JsonStringEnumMemberName("optical-flow")]
    OpticalFlow,

    /// <summary>AM flow and the optical flow of the heat maps.</summary>
    [JsonStringEnumMemberName("both")]
    Both,
}
