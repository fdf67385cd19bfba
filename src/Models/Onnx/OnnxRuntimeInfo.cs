using Vigil.Models.Onnx.Binding;

namespace Vigil.Models.Onnx;

/// <summary>Facts about the ONNX Runtime build this process uses (the NuGet package chosen at build time).</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The runtime's version as the native library reports it, e.g. "1.32.0".</summary>
    public static string Version => OrtRuntime.Env.GetVersionString();

    /// <summary>"cuda" when built with <c>-p:VigilOnnxRuntime=cuda</c> (Microsoft.ML.OnnxRuntime.Gpu.Linux), otherwise "cpu".</summary>
    public const string Build =
#if VIGIL_ORT_CUDA
        "cuda";
#else
        "cpu";
#endif

    /// <summary>The NuGet package that supplies the native library, e.g. "Microsoft.ML.OnnxRuntime 1.32.0".</summary>
    public static string Package => (Build == "cuda" ? "Microsoft.ML.OnnxRuntime.Gpu.Linux " : "Microsoft.ML.OnnxRuntime ") + Version;

    /// <summary>Execution providers compiled into the library (e.g. "CPUExecutionProvider", "CUDAExecutionProvider").</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtRuntime.AvailableProviders;
}
