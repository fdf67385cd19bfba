using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// A throughput stand-in with the compute cost of a real bone-age regressor and random weights
/// (NOT a bone-age model, NOT for clinical use): a VGG-style stack of 3×3 convolutions on a
/// 384×384 grey radiograph, global average pooling, the patient's sex concatenated, one linear
/// output. About 6.8 G multiply-accumulates per image, the order of Inception-v3 at 299×299
/// (about 5.7 G) and less than half of it at the 500×500 input the RSNA 2017 winning entry used.
/// PFLD, the stand-in, costs a few hundred M per image: less than inflating one
/// 1600×2080 PNG, so no pipeline could hide decoding behind it. This model shows whether the
/// pipeline hides decoding behind inference of realistic cost. Its output is finite and
/// deterministic but meaningless.
/// </summary>
public static class BoneAgeCostStandIn
{
    /// <summary>Model id in its card.</summary>
    public const string Id = "boneage-cost-standin";
    /// <summary>Input side in pixels (square, one grey channel).</summary>
    public const int Size = 384;

    /// <summary>The convolutions: input and output channels, stride, and whether a 2×2 max-pool follows.</summary>
    public static IReadOnlyList<(int In, int Out, int Stride, bool PoolAfter)> Convolutions { get; } =
    [
        (1, 32, 2, false),
        (32, 64, 1, true),
        (64, 128, 1, false),
        (128, 128, 1, true),
        (128, 256, 1, false),
        (256, 256, 1, true),
        (256, 512, 1, false),
        (512, 512, 1, false),
    ];

    /// <summary>Multiply-accumulates per image, counted from <see cref="Convolutions"/>.</summary>
    public static long MultiplyAccumulates
    {
        get
        {
            long side = Size, total = 0;
            foreach (var (cin, cout, stride, pool) in Convolutions)
            {
                side /= stride;
                total += side * side * cout * cin * 9;
                if (pool) side /= 2;
            }
            return total + Convolutions[^1].Out + 1;
        }
    }

    /// <summary>The ONNX bytes; weights are He-scaled uniform draws from a fixed seed (same bytes on every build).</summary>
    public static byte[] Build(ulong seed = 20261122)
    {
        var w = new DeterministicWeights(seed);
        var b = new OnnxModelBuilder("vigil_boneage_cost_standin")
            .Input("image", OnnxDataType.Float, "N", 1, Size, Size)
            .Input("sex", OnnxDataType.Float, "N", 1);
        var x = "image";
        for (var i = 0; i < Convolutions.Count; i++)
        {
            var (cin, cout, stride, pool) = Convolutions[i];
            // Uniform in ±sqrt(6 / fan_in) keeps activations of a ReLU stack at a stable scale.
            var scale = MathF.Sqrt(6f / (cin * 9));
            b.Initializer($"conv{i}.w", [cout, cin, 3, 3], w.Array(cout * cin * 9, scale))
             .Initializer($"conv{i}.b", [cout], w.Array(cout, 0.01f))
             .Node("Conv", [x, $"conv{i}.w", $"conv{i}.b"], [$"c{i}"],
                 OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Ints("strides", stride, stride))
             .Node("Relu", [$"c{i}"], [$"r{i}"]);
            x = $"r{i}";
            if (!pool) continue;
            b.Node("MaxPool", [x], [$"p{i}"], OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2));
            x = $"p{i}";
        }
        var features = Convolutions[^1].Out;
        return b
            .Initializer("fc.w", [1, features + 1], w.Array(features + 1, 1f / features))
            .Initializer("fc.b", [1], [120f])
            .Node("GlobalAveragePool", [x], ["g"])
            .Node("Flatten", ["g"], ["f"], OnnxAttribute.Int("axis", 1))
            .Node("Concat", ["f", "sex"], ["fs"], OnnxAttribute.Int("axis", 1))
            .Node("Gemm", ["fs", "fc.w", "fc.b"], ["months"], OnnxAttribute.Int("transB", 1))
            .Output("months", OnnxDataType.Float, "N", 1)
            .Build();
    }

    /// <summary>Writes the model and its card into <paramref name="folder"/>; returns the card's path.</summary>
    public static string WriteCard(string folder)
    {
        var bytes = Build();
        File.WriteAllBytes(Path.Combine(folder, Id + ".onnx"), bytes);
        var card = new ModelCard
        {
            Schema = ModelCardReader.SchemaName,
            Id = Id,
            Version = "1.0.0",
            File = Id + ".onnx",
            Sha256 = ModelFileHash.Sha256Of(bytes),
            Task = "bone-age-throughput-standin",
            Description = $"THROUGHPUT STAND-IN, NOT A BONE-AGE MODEL: random weights with the cost of a real bone-age CNN ({MultiplyAccumulates / 1e9:0.0} G multiply-accumulates per 384x384 image). Built by Vigil.BoneAge.Demo.BoneAgeCostStandIn.",
            Inputs =
            [
                new CardTensor { Name = "image", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1), CardDimension.Fixed(Size), CardDimension.Fixed(Size)], Meaning = "Preprocessed radiograph, 384x384 grey, NCHW, values in [0, 1]." },
                new CardTensor { Name = "sex", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1)], Meaning = "1 male, 0 female." },
            ],
            Outputs = [new CardTensor { Name = "months", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1)], Meaning = "Meaningless: only the cost of computing it matters." }],
            Preprocessing = new CardPreprocessing
            {
                Width = Size, Height = Size, Layout = "NCHW", ChannelOrder = "GRAY", Scale = 1.0 / 255, Mean = [0], Std = [1],
                Resize = "invert-monochrome1; percentiles(low=1,high=99); crop-hand(margin=0.05); letterbox",
            },
            IntendedUse = new CardIntendedUse { Summary = "Benchmarking the bone-age pipeline with inference of realistic cost.", NotForClinicalUse = true },
            Origin = new CardOrigin { Source = "Vigil.BoneAge.Demo.BoneAgeCostStandIn", Licence = "Same as the Vigil repository" },
        };
        var path = Path.Combine(folder, Id + ".card.json");
        File.WriteAllText(path, ModelCardReader.Write(card));
        return path;
    }
}
