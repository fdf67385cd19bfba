using System.IO.Compression;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;

namespace Vigil.Models.OpenCvDnn;

/// <summary>
/// The <c>opencv-dnn</c> runtime (OpenCvSharp4, OpenCV 4.13 DNN): TFLite or ONNX networks read
/// with <c>CvDnn.ReadNet</c>. The card's file is either one network or an archive (zip, such as a
/// MediaPipe <c>.task</c>) holding the networks its <c>stages</c> name; each stage's bytes are
/// checked against the stage's sha256 and its outputs against the stage's signature. The
/// card's <c>postprocessing.kind</c> names the pipeline that joins the stages
/// (<c>mediapipe-face-landmarker</c>).
/// </summary>
public sealed class OpenCvDnnRuntime : IModelRuntime
{
    /// <inheritdoc />
    public string Name => ModelRuntimeNames.OpenCvDnn;

    /// <inheritdoc />
    public IInferenceSession Open(ModelCard card, byte[] modelBytes, OnnxSessionOptions sessionOptions)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(modelBytes);
        var kind = card.Postprocessing?.Kind ?? "";
        if (kind != FaceLandmarkerPipeline.Kind)
            throw new ModelCardException(card.CardPath, "postprocessing.kind",
                $"\"{kind}\" names no opencv-dnn pipeline Vigil knows (known: {FaceLandmarkerPipeline.Kind}).");
        var stages = new Dictionary<string, DnnStage>(StringComparer.Ordinal);
        try
        {
            foreach (var stage in card.Stages)
            {
                var (bytes, extension) = StageBytes(card, stage, modelBytes);
                stages[stage.Name] = DnnStage.Load(card, stage, bytes, extension);
            }
            return new FaceLandmarkerPipeline(card, stages);
        }
        catch
        {
            foreach (var s in stages.Values) s.Dispose();
            throw;
        }
    }

    private static (byte[] Bytes, string Extension) StageBytes(ModelCard card, CardStage stage, byte[] file)
    {
        if (stage.Entry.Length == 0) return (file, Path.GetExtension(card.ModelPath));
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
            var entry = zip.GetEntry(stage.Entry) ?? throw new ModelCardException(card.CardPath, $"stages[{stage.Name}].entry",
                $"'{stage.Entry}' is not in '{card.ModelPath}' (entries: {string.Join(", ", zip.Entries.Select(e => e.FullName))}).");
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (copy.ToArray(), Path.GetExtension(stage.Entry));
        }
        catch (InvalidDataException e)
        {
            throw new ModelCardException(card.CardPath, "file", $"'{card.ModelPath}' is not a readable zip archive ({e.Message}).", e);
        }
    }
}
