namespace Vigil.Models.Runtimes;

/// <summary>The values of a model card's <c>runtime</c> field.</summary>
public static class ModelRuntimeNames
{
    /// <summary>ONNX Runtime (Microsoft.ML.OnnxRuntime): an <c>.onnx</c> file. The default.</summary>
    public const string OnnxRuntime = "onnxruntime";

    /// <summary>OpenCV DNN (OpenCvSharp4): TFLite/ONNX stages, e.g. a MediaPipe <c>.task</c> pipeline.</summary>
    public const string OpenCvDnn = "opencv-dnn";

    /// <summary>TorchSharp: weights trained by Vigil (registered by the training room, src/Models/Training).</summary>
    public const string TorchSharp = "torchsharp";

    /// <summary>Every name a card may give.</summary>
    public static IReadOnlyList<string> All { get; } = [OnnxRuntime, OpenCvDnn, TorchSharp];
}
