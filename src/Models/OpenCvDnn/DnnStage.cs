using OpenCvSharp;
using OpenCvSharp.Dnn;
using Vigil.Models.Cards;

namespace Vigil.Models.OpenCvDnn;

/// <summary>
/// One network of an <c>opencv-dnn</c> card, loaded with <c>CvDnn.ReadNet</c> (TFLite or ONNX by
/// extension) and checked against its stage description: a run on zeros of the declared input
/// shape must give outputs of the declared names and shapes. A <c>cv::dnn::Net</c> is not
/// thread-safe, so runs hold <see cref="Gate"/>.
/// </summary>
internal sealed class DnnStage : IDisposable
{
    private DnnStage(CardStage stage, Net net, string[] outputNames)
    {
        Card = stage;
        Net = net;
        OutputNames = outputNames;
    }

    public CardStage Card { get; }

    public Net Net { get; }

    /// <summary>The card's output names, in card order (the order <see cref="Forward"/> returns).</summary>
    public string[] OutputNames { get; }

    public Lock Gate { get; } = new();

    /// <summary>Loads and checks a stage from its bytes; <paramref name="extension"/> tells OpenCV the format.</summary>
    public static DnnStage Load(ModelCard card, CardStage stage, byte[] bytes, string extension)
    {
        var at = $"stages[{stage.Name}]";
        var sha = Catalog.ModelFileHash.Sha256Of(bytes);
        if (!string.Equals(sha, stage.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardMismatchException(card.CardPath, card.ToString(), at + ".sha256", stage.Sha256.ToLowerInvariant(), sha);
        // OpenCV reads TFLite from a path only: write the verified bytes to a private temporary file.
        var dir = Directory.CreateTempSubdirectory("vigil-dnn-");
        Net net;
        try
        {
            var path = Path.Combine(dir.FullName, "stage" + extension);
            File.WriteAllBytes(path, bytes);
            try
            {
                net = CvDnn.ReadNet(path) ?? throw new ModelCardException(card.CardPath, at, $"OpenCV DNN returned no network for {stage}.");
            }
            catch (OpenCVException e)
            {
                throw new ModelCardException(card.CardPath, at, $"OpenCV DNN cannot load {stage}: {e.Message.Split((char)10)[0]}", e);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        try
        {
            if (net.Empty()) throw new ModelCardException(card.CardPath, at, $"OpenCV DNN loaded {stage} as an empty network.");
            var produced = net.GetUnconnectedOutLayersNames() ?? [];
            var declared = stage.Outputs.Select(o => o.Name).ToArray();
            if (!declared.Order(StringComparer.Ordinal).SequenceEqual(produced.Order(StringComparer.Ordinal)))
                throw new ModelCardMismatchException(card.CardPath, card.ToString(), at + ".outputs",
                    "[" + string.Join(", ", declared) + "]", "[" + string.Join(", ", produced) + "]");
            var loaded = new DnnStage(stage, net, declared);
            loaded.CheckShapes(card);
            return loaded;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Runs the network on <paramref name="input"/> (a blob in the stage's input shape); returns outputs in card order.</summary>
    public Mat[] Forward(Mat input)
    {
        lock (Gate)
        {
            Net.SetInput(input);
            var outs = OutputNames.Select(_ => new Mat()).ToArray();
            Net.Forward(outs, OutputNames);
            return outs;
        }
    }

    private void CheckShapes(ModelCard card)
    {
        var input = Card.Inputs[0];
        var dims = input.Shape.Select(d => d.IsFixed ? (int)d.Size : 1).ToArray();
        using var zeros = new Mat(dims, MatType.CV_32F, Scalar.All(0));
        var outs = Forward(zeros);
        try
        {
            for (var i = 0; i < outs.Length; i++)
            {
                var want = Card.Outputs[i];
                var have = Enumerable.Range(0, outs[i].Dims).Select(k => (long)outs[i].Size(k)).ToArray();
                var fits = want.Shape.Count == have.Length && want.Shape.Select((d, k) => !d.IsFixed || d.Size == have[k]).All(x => x);
                if (!fits)
                    throw new ModelCardMismatchException(card.CardPath, card.ToString(), $"stages[{Card.Name}].outputs[{want.Name}].shape",
                        CardDimension.Format(want.Shape), "[" + string.Join(",", have) + "]");
            }
        }
        finally
        {
            foreach (var m in outs) m.Dispose();
        }
    }

    public void Dispose() => Net.Dispose();
}
