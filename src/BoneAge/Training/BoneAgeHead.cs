using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.BoneAge.Training;

/// <summary>
/// The trained part of the bone-age model, on the frozen backbone's feature map: a 1×1 convolution
/// to 64 channels, a 3×3 convolution (both batch-normalised), then attention pooling (a learned
/// weight per grid cell, so the head can look at the growth plates rather than the average of the
/// hand; maps finer than 8×8 are first averaged 2×2) beside average pooling, the sex, and a small regressor. Output: bone age in months.
/// </summary>
public sealed class BoneAgeHead : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Months subtracted before the network sees the target.</summary>
    public const double Centre = 120;
    /// <summary>Months per unit of the network's output.</summary>
    public const double Spread = 60;

    private readonly Module<Tensor, Tensor> _reduce;
    private readonly Module<Tensor, Tensor> _context;
    private readonly Conv2d _attention;
    private readonly Module<Tensor, Tensor> _regressor;

    /// <summary>Creates a head for <paramref name="channels"/> input channels.</summary>
    public BoneAgeHead(int channels = ResNet18Backbone.Channels, double dropout = 0.3) : base(nameof(BoneAgeHead))
    {
        _reduce = Sequential(Dropout2d(0.1), Conv2d(channels, 64, 1), BatchNorm2d(64), ReLU());
        _context = Sequential(Conv2d(64, 64, 3, padding: 1), BatchNorm2d(64), ReLU());
        _attention = Conv2d(64, 1, 1);
        _regressor = Sequential(Linear(64 * 2 + 1, 32), ReLU(), Dropout(dropout), Linear(32, 1));
        RegisterComponents();
    }

    /// <summary>
    /// The head's first step done once for a whole feature cache: float32, and maps finer than 8×8
    /// averaged 2×2 when their side is even (then mirroring commutes with it, so training may mirror
    /// the pooled map). The head gives the same result on the output as on the input.
    /// </summary>
    public static Tensor Prepool(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var noGrad = no_grad();
        var h = features.shape[2];
        var w = features.shape[3];
        if (h <= 8 || h % 2 != 0 || w % 2 != 0) return features.to(ScalarType.Float32);
        var parts = new List<Tensor>();
        for (long start = 0; start < features.shape[0]; start += 256)
        {
            using var chunk = features.narrow(0, start, Math.Min(256, features.shape[0] - start)).to(ScalarType.Float32);
            parts.Add(nn.functional.avg_pool2d(chunk, [2, 2], [2, 2], ceil_mode: true));
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Bone age in months, <c>[N]</c>, from features <c>[N, C, H, W]</c> and sex <c>[N]</c> (1 male, 0 female).</summary>
    public override Tensor forward(Tensor features, Tensor male)
    {
        using var scope = NewDisposeScope();
        // Maps finer than 8x8 (inputs above 256 px) are averaged 2x2 first: a quarter of the cost,
        // which is what made 5-fold training affordable on the shared 2-core machine.
        if (features.shape[2] > 8) features = nn.functional.avg_pool2d(features, [2, 2], [2, 2], ceil_mode: true);
        var x = _context.forward(_reduce.forward(features));
        var weights = _attention.forward(x).flatten(1).softmax(1);                // [N, HW]
        var flat = x.flatten(2);                                                  // [N, 64, HW]
        var attended = (flat * weights.unsqueeze(1)).sum(2);                      // [N, 64]
        var mean = flat.mean([2]);
        var sex = (male * 2 - 1).unsqueeze(1);
        var y = _regressor.forward(cat([attended, mean, sex], 1)).squeeze(1);
        return (y * Spread + Centre).MoveToOuterDisposeScope();
    }
}
