using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// A throughput stand-in with the architecture, input size and therefore the compute cost of a
/// real bone-age regressor, but random weights (NOT a bone-age model, NOT for clinical use). The
/// architecture is "m46", the model published with the radiographs in ../shared
/// (neuro-inc/ml-recipe-bone-age, bone-age-code/model.py): six VGG-style blocks of
/// conv 3×3 → ELU → batch norm → conv 1×1 → ELU → batch norm → max-pool 3×3 stride 2, with
/// 32, 64, 128, 128, 256, 384 channels, on a 500×375 grey image, then fully connected layers of
/// 2048, 2048 and 1 with ELU. About 3.2 G multiply-accumulates per image. PFLD, the issue's
/// stand-in, costs far less than decoding one 1600×2080 PNG; this one shows how the pipeline
/// behaves behind inference of a real bone-age model's cost. Its output is finite and
/// deterministic but meaningless.
/// </summary>
public static class BoneAgeCostStandIn
{
    /// <summary>Model id in its card.</summary>
    public const string Id = "boneage-m46-standin";
    /// <summary>Input height in pixels.</summary>
    public const int Height = 500;
    /// <summary>Input width in pixels.</summary>
    public const int Width = 375;
    /// <summary>Output channels of the six blocks.</summary>
    public static IReadOnlyList<int> BlockChannels { get; } = [32, 64, 128, 128, 256, 384];
    /// <summary>Widths of the hidden fully connected layers.</summary>
    public const int Hidden = 2048;

    /// <summary>Multiply-accumulates per image, counted layer by layer.</summary>
    public static long MultiplyAccumulates
    {
        get
        {
            long h = Height, w = Width, cin = 1, total = 0;
            foreach (var cout in BlockChannels)
            {
                total += h * w * cout * (cin * 9 + cout);
                (h, w, cin) = (Pool(h), Pool(w), cout);
            }
            return total + h * w * cin * Hidden + Hidden * Hidden + Hidden;
        }
    }

    // Max-pool 3×3, stride 2, no padding.
    private static long Pool(long size) => (size - 3) / 2 + 1;

    /// <summary>The ONNX bytes; weights are He-scaled uniform draws from a fixed seed (same bytes on every build).</summary>
    public static byte[] Build(ulong seed = 20261122)
    {
        var rng = new DeterministicWeights(seed);
        var b = new OnnxModelBuilder("vigil_boneage_m46_standin").Input("image", OnnxDataType.Float, "N", 1, Height, Width);
        var x = "image";
        long h = Height, w = Width;
        var cin = 1;
        for (var i = 0; i < BlockChannels.Count; i++)
        {
            var cout = BlockChannels[i];
            x = ConvEluNorm(b, rng, $"b{i}c1", x, cin, cout, 3);
            x = ConvEluNorm(b, rng, $"b{i}c2", x, cout, cout, 1);
            b.Node("MaxPool", [x], [$"b{i}pool"], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2));
            x = $"b{i}pool";
            (h, w, cin) = (Pool(h), Pool(w), cout);
        }
        var features = (int)(h * w * cin);
        b.Node("Flatten", [x], ["flat"], OnnxAttribute.Int("axis", 1));
        x = Dense(b, rng, "fc1", "flat", features, Hidden, elu: true);
        x = Dense(b, rng, "fc2", x, Hidden, Hidden, elu: true);
        x = Dense(b, rng, "out", x, Hidden, 1, elu: false);
        return b.Output(x, OnnxDataType.Float, "N", 1).Build();
    }

    private static string ConvEluNorm(OnnxModelBuilder b, DeterministicWeights rng, string name, string x, int cin, int cout, int kernel)
    {
        // Uniform in ±sqrt(6 / fan_in) keeps a deep ELU stack at a stable scale.
        var fanIn = cin * kernel * kernel;
        b.Initializer(name + ".w", [cout, cin, kernel, kernel], rng.Array(cout * fanIn, MathF.Sqrt(6f / fanIn)))
         .Initializer(name + ".b", [cout], rng.Array(cout, 0.01f))
         .Initializer(name + ".gamma", [cout], Enumerable.Repeat(1f, cout).ToArray())
         .Initializer(name + ".beta", [cout], new float[cout])
         .Initializer(name + ".mean", [cout], new float[cout])
         .Initializer(name + ".var", [cout], Enumerable.Repeat(1f, cout).ToArray());
        var pad = kernel / 2;
        b.Node("Conv", [x, name + ".w", name + ".b"], [name + ".conv"],
            OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("pads", pad, pad, pad, pad));
        b.Node("Elu", [name + ".conv"], [name + ".elu"], OnnxAttribute.Float("alpha", 1f));
        b.Node("BatchNormalization", [name + ".elu", name + ".gamma", name + ".beta", name + ".mean", name + ".var"], [name]);
        return name;
    }

    private static string Dense(OnnxModelBuilder b, DeterministicWeights rng, string name, string x, int inputs, int outputs, bool elu)
    {
        b.Initializer(name + ".w", [outputs, inputs], rng.Array(outputs * inputs, MathF.Sqrt(6f / inputs)))
         .Initializer(name + ".b", [outputs], new float[outputs])
         .Node("Gemm", [x, name + ".w", name + ".b"], [elu ? name + ".lin" : name], OnnxAttribute.Int("transB", 1));
        if (elu) b.Node("Elu", [name + ".lin"], [name], OnnxAttribute.Float("alpha", 1f));
        return name;
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
            Description = $"THROUGHPUT STAND-IN, NOT A BONE-AGE MODEL: the m46 bone-age architecture (neuro-inc/ml-recipe-bone-age) with random weights, {MultiplyAccumulates / 1e9:0.0} G multiply-accumulates per 500x375 image. Built by Vigil.BoneAge.Demo.BoneAgeCostStandIn.",
            Inputs = [new CardTensor { Name = "image", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1), CardDimension.Fixed(Height), CardDimension.Fixed(Width)], Meaning = "Preprocessed radiograph, 500 high x 375 wide, grey, NCHW, values in [0, 1]." }],
            Outputs = [new CardTensor { Name = "out", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1)], Meaning = "Meaningless: only the cost of computing it matters." }],
            Preprocessing = new CardPreprocessing
            {
                Width = Width, Height = Height, Layout = "NCHW", ChannelOrder = "GRAY", Scale = 1.0 / 255, Mean = [0], Std = [1],
                Resize = "letterbox",
                Steps = ["invert-monochrome1", "percentiles(low=1,high=99)", "crop-hand(margin=0.05)", "letterbox"],
            },
            IntendedUse = new CardIntendedUse { Summary = "Benchmarking the bone-age pipeline behind inference of a real bone-age model's cost.", NotForClinicalUse = true },
            Origin = new CardOrigin { Source = "Vigil.BoneAge.Demo.BoneAgeCostStandIn (architecture from neuro-inc/ml-recipe-bone-age m46)", Licence = "Same as the Vigil repository" },
        };
        var path = Path.Combine(folder, Id + ".card.json");
        File.WriteAllText(path, ModelCardReader.Write(card));
        return path;
    }
}
