using TorchSharp;
using TorchSharp.Modules;
using Vigil.Infrared.Faces;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Infrared.Training.Faces;

/// <summary>
/// The thermal face network in TorchSharp: six 3×3 convolutions, each batch-normalised and ReLU'd
/// (strides 2, 2, then dilations 1, 2, 4, 8 at stride 4, so a cell sees about 130 px: the largest
/// chips face is 60 px), and a 1×1 head giving <see cref="ThermalFaceNetwork.Channels"/> channels per
/// cell. Small on purpose (about 40 k parameters): trained from scratch on two shared cores in minutes.
/// </summary>
public sealed class ThermalFaceModule : Module<Tensor, Tensor>
{
    /// <summary>The convolutions: input channels, output channels, stride, dilation (all 3×3).</summary>
    public static IReadOnlyList<(int In, int Out, int Stride, int Dilation)> Layers { get; } =
        [(3, 16, 2, 1), (16, 24, 2, 1), (24, 32, 1, 1), (32, 32, 1, 2), (32, 32, 1, 4), (32, 32, 1, 8)];

    /// <summary>Batch-norm epsilon (the export folds it in).</summary>
    public const double Epsilon = 1e-5;

    private readonly ModuleList<Conv2d> _convs = new();
    private readonly ModuleList<BatchNorm2d> _norms = new();
    private readonly Conv2d _head;

    /// <summary>Creates the network with freshly initialised weights (seed torch first for repeatability).</summary>
    public ThermalFaceModule() : base(nameof(ThermalFaceModule))
    {
        foreach (var (cin, cout, stride, dilation) in Layers)
        {
            _convs.Add(Conv2d(cin, cout, 3, stride: stride, padding: dilation, dilation: dilation, bias: false));
            _norms.Add(BatchNorm2d(cout, eps: Epsilon));
        }
        _head = Conv2d(Layers[^1].Out, ThermalFaceNetwork.Channels, 1);
        using (no_grad())
        {
            // Start with every cell at a face prior of about 0.1, as CenterNet does, so the first steps are not spent unlearning faces everywhere.
            _head.bias![0] = -2.2f;
        }
        RegisterComponents();
    }

    /// <summary>The convolutions, in order.</summary>
    public IReadOnlyList<Conv2d> Convolutions => [.. _convs];

    /// <summary>The batch norms, one per convolution.</summary>
    public IReadOnlyList<BatchNorm2d> Norms => [.. _norms];

    /// <summary>The 1×1 head.</summary>
    public Conv2d Head => _head;

    /// <summary>The output map [N, 5, H/4, W/4] of images [N, 3, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var i = 0; i < _convs.Count; i++)
        {
            using var c = _convs[i].forward(x);
            using var n = _norms[i].forward(c);
            var y = functional.relu(n);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = y;
        }
        var output = _head.forward(x);
        x.Dispose();
        return output;
    }
}
