using Vigil.Models.Onnx.Native;

namespace Vigil.Models.Onnx;

/// <summary>Facts about the ONNX Runtime library this process uses (loading it on first access).</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The runtime's version, e.g. "1.30.0".</summary>
    public static string Version => OrtApi.Version;

    /// <summary>The file the library was loaded from.</summary>
    public static string LibraryPath => OrtLibrary.EnsureLoaded();

    /// <summary>Execution providers compiled into the library (e.g. "CPUExecutionProvider").</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtEnvironment.AvailableProviders;

    /// <summary>
    /// Asks Vigil to load the library from <paramref name="path"/> when VIGIL_ORT_LIBRARY is not
    /// set; ignored once a library is loaded.
    /// </summary>
    public static void UseLibrary(string path) => OrtLibrary.Prefer(path);
}
