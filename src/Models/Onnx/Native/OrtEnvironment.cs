using System.Runtime.InteropServices;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// Process-wide ORT objects: the single <c>OrtEnv</c> (ORT allows one per process), the CPU
/// memory info used for every tensor over caller memory (created once, reused by all runs), and
/// the default allocator used to free strings ORT hands back. Never released: they live as
/// long as the process, so no session can outlive them.
/// </summary>
internal static unsafe class OrtEnvironment
{
    private static readonly Lock Gate = new();
    private static OrtEnvHandle? _env;
    private static OrtMemoryInfoHandle? _cpuMemory;
    private static IntPtr _allocator;
    private static IReadOnlyList<string>? _providers;

    public static OrtEnvHandle Env { get { EnsureCreated(); return _env!; } }

    public static IntPtr CpuMemoryInfo { get { EnsureCreated(); return _cpuMemory!.DangerousGetHandle(); } }

    public static IntPtr DefaultAllocator { get { EnsureCreated(); return _allocator; } }

    /// <summary>Execution providers compiled into the loaded library, e.g. CPUExecutionProvider.</summary>
    public static IReadOnlyList<string> AvailableProviders { get { EnsureCreated(); return _providers!; } }

    private static void EnsureCreated()
    {
        if (_env is not null) return;
        lock (Gate)
        {
            if (_env is not null) return;
            OrtApi.EnsureInitialised();
            var env = new OrtEnvHandle();
            var memory = new OrtMemoryInfoHandle();
            IntPtr p;
            fixed (byte* logId = "vigil\0"u8)
                OrtApi.Check(OrtApi.CreateEnv(OrtConstants.LoggingLevelError, logId, &p), context: "creating the ORT environment");
            env.Adopt(p);
            OrtApi.Check(OrtApi.CreateCpuMemoryInfo(OrtConstants.ArenaAllocator, OrtConstants.MemTypeDefault, &p),
                context: "creating CPU memory info");
            memory.Adopt(p);
            OrtApi.Check(OrtApi.GetAllocatorWithDefaultOptions(&p), context: "getting the default allocator");
            _allocator = p;
            _providers = ReadProviders();
            _cpuMemory = memory;
            _env = env;
        }
    }

    private static IReadOnlyList<string> ReadProviders()
    {
        byte** names;
        int count;
        OrtApi.Check(OrtApi.GetAvailableProviders(&names, &count), context: "listing execution providers");
        var list = new string[count];
        for (var i = 0; i < count; i++) list[i] = Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? "";
        OrtApi.Check(OrtApi.ReleaseAvailableProviders(names, count));
        return list;
    }

    /// <summary>Copies and frees a string ORT allocated with the default allocator.</summary>
    public static string TakeString(byte* s)
    {
        var text = Marshal.PtrToStringUTF8((IntPtr)s) ?? "";
        OrtApi.Check(OrtApi.AllocatorFree(DefaultAllocator, s));
        return text;
    }
}
