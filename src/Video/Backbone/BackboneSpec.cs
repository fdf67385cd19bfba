using OpenCvSharp;
using Vigil.Models.Tensors;
using Vigil.Video.Motion;

namespace Vigil.Video.Backbone;

/// <summary>
/// How to feed a frozen backbone and where its patches lie: each image input gets the whole frame
/// resized to its square size (RGB, or BGR when <see cref="Bgr"/>; scaled to [0,1], then mean/std
/// normalised), and the attention of <see cref="Block"/> (an index into the tapped blocks, negative
/// from the end) is read on <see cref="Grid"/>.
/// </summary>
/// <param name="Name">The backbone's name (provenance; an adapter config records it).</param>
/// <param name="ImageInputs">Input name and square side in pixels, for every image input.</param>
/// <param name="Grid">The patch tokens in the attention maps.</param>
/// <param name="Block">Which tapped attention block to use (-1: the last).</param>
/// <param name="Mean">Per-channel mean (in input channel order) subtracted after scaling to [0,1].</param>
/// <param name="Std">Per-channel standard deviation (in input channel order).</param>
public sealed record BackboneSpec(string Name, IReadOnlyList<(string Input, int Size)> ImageInputs, PatchGrid Grid, int Block, float[] Mean, float[] Std)
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// Name fragments of the attention blocks to tap, as the backbone's card names them (a Softmax is
    /// tapped when its node name or output contains one); null or empty: every Softmax.
    /// </summary>
    public IReadOnlyList<string>? AttentionBlocks { get; init; }

    /// <summary>
    /// The hidden-state tensor read for <c>--hidden-states pooled</c> (a node output, exposed by the
    /// attention tap's edit when the graph does not output it): [1, tokens, <see cref="HiddenWidth"/>]
    /// for a ViT, [1, <see cref="HiddenWidth"/>, rows, columns] for a CNN; null: the backbone has none.
    /// </summary>
    public string? HiddenState { get; init; }

    /// <summary>Channels of <see cref="HiddenState"/> (per token for a ViT, per location for a CNN).</summary>
    public int HiddenWidth { get; init; }

    /// <summary>Pooled hidden-state values per frame (<see cref="HiddenStateFeatures.Values(int)"/>); 0 without a hidden-state tensor.</summary>
    public int HiddenValues => HiddenState is null ? 0 : HiddenStateFeatures.Values(HiddenWidth);

    /// <summary>Feed channels in BGR order (Caffe-style CNNs) instead of RGB.</summary>
    public bool Bgr { get; init; }

    /// <summary>
    /// OpenCV zoo's VitTrack (2023sep): template 128 px and search 256 px, 3 one-head blocks, 320
    /// tokens. Hidden state: <c>480</c>, the final LayerNorm's output ([1,320,48]: the token
    /// embeddings after the last block, before the box head).
    /// </summary>
    public static BackboneSpec VitTrack { get; } = new("vittrack_2023sep", [("template", 128), ("search", 256)], PatchGrid.VitTrack, -1, ImageNetMean, ImageNetStd)
    {
        HiddenState = "480",
        HiddenWidth = 48,
    };

    /// <summary>
    /// The ImageNet ResNet18 of NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 at 224 px:
    /// BGR minus the ImageNet mean in 0..255 (what its <c>ResNetPreprocess.onnx</c> does), read at the
    /// third stage (stride 16, a 14×14 grid; <see cref="CnnEnergyBackbone"/>). Hidden state: that
    /// third-stage map itself ([1,256,14,14]), averaged over the locations.
    /// </summary>
    public static BackboneSpec ResNet18 { get; } = new("resnet18-imagenet", [("Input247", 224)], new PatchGrid(196, 0, 14, 14), -1,
        [103.06262f / 255f, 115.90288f / 255f, 123.15163f / 255f], [1f / 255f, 1f / 255f, 1f / 255f])
    {
        Bgr = true,
        HiddenState = CnnEnergyBackbone.ResNet18Stage3,
        HiddenWidth = 256,
    };

    /// <summary>
    /// A single-input ViT with a class token (DINOv2, DeiT, CLIP shape): <paramref name="size"/> px,
    /// patches of <paramref name="patch"/> px. With <paramref name="hiddenWidth"/> its hidden state is
    /// the export's <c>last_hidden_state</c> output ([1, tokens, width]: the tokens after the final
    /// LayerNorm, as Hugging Face exports name it).
    /// </summary>
    public static BackboneSpec ClassTokenVit(string name, string input, int size, int patch, int registers = 0, int hiddenWidth = 0) =>
        new(name, [(input, size)], new PatchGrid(1 + registers + size / patch * (size / patch), 1 + registers, size / patch, size / patch), -1, ImageNetMean, ImageNetStd)
        {
            HiddenState = hiddenWidth > 0 ? "last_hidden_state" : null,
            HiddenWidth = hiddenWidth,
        };

    /// <summary>The frame as an input tensor [1,3,size,size]: resized (area), channels in input order, (pixel/255 − mean)/std.</summary>
    public DenseTensor<float> Preprocess(Mat bgr, int size)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"{Name}: frames must be 8-bit BGR, got {bgr.Type()}");
        using var resized = new Mat();
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(size, size), 0, 0, InterpolationFlags.Area);
        var data = new float[3 * size * size];
        var plane = size * size;
        var pixels = new byte[plane * 3];
        System.Runtime.InteropServices.Marshal.Copy(resized.Data, pixels, 0, pixels.Length);
        // OpenCV holds B,G,R: channel c of the input reads byte (Bgr ? c : 2 - c).
        for (var c = 0; c < 3; c++)
        {
            var source = Bgr ? c : 2 - c;
            var offset = c * plane;
            for (var o = 0; o < plane; o++) data[offset + o] = (pixels[3 * o + source] / 255f - Mean[c]) / Std[c];
        }
        return DenseTensor<float>.Wrap(data, 1, 3, size, size);
    }
}
