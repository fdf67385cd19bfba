using System.Reflection;
using System.Runtime.InteropServices;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// Finds and loads <c>libonnxruntime.so.1</c> once per process. Order: the VIGIL_ORT_LIBRARY
/// environment variable, else the path given in options, else the repository's
/// <c>.vigil/native/onnxruntime-1.30.0/libonnxruntime.so.1</c> under VIGIL_HOME or found by walking
/// up from the application folder. The DllImport resolver sends <see cref="LibraryName"/> there.
/// </summary>
internal static partial class OrtLibrary
{
    public const string LibraryName = "onnxruntime";
    public const string EnvironmentVariable = "VIGIL_ORT_LIBRARY";
    public const string RelativeDefaultPath = ".vigil/native/onnxruntime-1.30.0/libonnxruntime.so.1";

    private static readonly Lock Gate = new();
    private static string? _preferredPath;
    private static string? _loadedPath;
    private static IntPtr _handle;
    private static bool _resolverSet;

    /// <summary>The path the library was loaded from, or null before the first load.</summary>
    public static string? LoadedPath => _loadedPath;

    /// <summary>
    /// Records a path to use when no environment variable overrides it. Has no effect once the
    /// library is loaded (a process holds one ONNX Runtime).
    /// </summary>
    public static void Prefer(string? path)
    {
        if (string.IsNullOrEmpty(path)) return;
        lock (Gate)
        {
            if (_handle == IntPtr.Zero) _preferredPath = path;
        }
    }

    /// <summary>Loads the library (once) and returns its path; throws a clear error when absent.</summary>
    public static string EnsureLoaded()
    {
        if (_loadedPath is { } loaded) return loaded;
        lock (Gate)
        {
            if (_loadedPath is { } again) return again;
            var candidates = Candidates().ToList();
            var path = candidates.FirstOrDefault(File.Exists) ?? throw new OnnxRuntimeException(
                OnnxErrorCode.LibraryUnavailable,
                "ONNX Runtime native library not found. Looked at: " + string.Join(", ", candidates) +
                $". Run 'scripts/setup native', or set {EnvironmentVariable} to a libonnxruntime.so.");
            try
            {
                _handle = NativeLibrary.Load(path);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new OnnxRuntimeException(OnnxErrorCode.LibraryUnavailable,
                    $"ONNX Runtime native library at '{path}' could not be loaded: {e.Message}", e);
            }
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(OrtLibrary).Assembly, Resolve);
                _resolverSet = true;
            }
            _loadedPath = path;
            return path;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? _handle : IntPtr.Zero;

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) yield return env;
        if (_preferredPath is { } preferred) yield return preferred;
        if (Environment.GetEnvironmentVariable("VIGIL_HOME") is { Length: > 0 } home)
            yield return Path.Combine(home, RelativeDefaultPath);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativeDefaultPath);
            if (File.Exists(candidate)) { yield return candidate; yield break; }
        }
    }

    /// <summary>The library's only C entry point: returns the <c>OrtApiBase</c> (GetApi, GetVersionString).</summary>
    [LibraryImport(LibraryName)]
    internal static partial IntPtr OrtGetApiBase();
}
