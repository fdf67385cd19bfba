using OpenCvSharp;

namespace Vigil.Video.Backbone;

/// <summary>
/// A frozen image backbone that gives, per frame, a row-stochastic attention map over its tokens
/// and a heat map on its patch grid: a ViT's tapped attention (<see cref="VitBackbone"/>) or a CNN's
/// spatial feature energy standing in for attention (<see cref="CnnEnergyBackbone"/>).
/// </summary>
public interface IFrameBackbone : IDisposable
{
    /// <summary>The edited model (source sha256 for provenance, the exposed outputs).</summary>
    TappedModel Model { get; }

    /// <summary>How frames are fed and where the patches are.</summary>
    BackboneSpec Spec { get; }

    /// <summary>Runs the backbone on one BGR frame.</summary>
    FrameAttention Run(Mat bgr, int index, TimeSpan position);
}
