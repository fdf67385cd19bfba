using Vigil.Video.Motion;

namespace Vigil.Video.Backbone;

/// <summary>
/// How to feed a ViT backbone and where its patches lie: each image input gets the whole frame
/// resized to its square size (RGB, scaled to [0,1], then mean/std normalised), and the attention
/// of <see cref="Block"/> (an index into the tapped blocks, negative from the end) is read on <see cref="Grid"/>.
/// </summary>
/// <param name="Name">The backbone's name (provenance).</param>
/// <param name="ImageInputs">Input name and square side in pixels, for every image input.</param>
/// <param name="Grid">The patch tokens in the attention maps.</param>
/// <param name="Block">Which tapped attention block to use (-1: the last).</param>
/// <param name="Mean">Per-channel mean (RGB) subtracted after scaling to [0,1].</param>
/// <param name="Std">Per-channel standard deviation (RGB).</param>
public sealed record BackboneSpec(string Name, IReadOnlyList<(string Input, int Size)> ImageInputs, PatchGrid Grid, int Block, float[] Mean, float[] Std)
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>OpenCV zoo's VitTrack (2023sep): template 128 px and search 256 px, 3 one-head blocks, 320 tokens.</summary>
    public static BackboneSpec VitTrack { get; } = new("vittrack_2023sep", [("template", 128), ("search", 256)], PatchGrid.VitTrack, -1, ImageNetMean, ImageNetStd);

    /// <summary>A single-input ViT with a class token (DINOv2, DeiT, CLIP shape): <paramref name="size"/> px, patches of <paramref name="patch"/> px.</summary>
    public static BackboneSpec ClassTokenVit(string name, string input, int size, int patch, int registers = 0) =>
        new(name, [(input, size)], new PatchGrid(1 + registers + size / patch * (size / patch), 1 + registers, size / patch, size / patch), -1, ImageNetMean, ImageNetStd);
}
