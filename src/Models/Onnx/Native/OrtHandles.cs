using Microsoft.Win32.SafeHandles;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// Base of the SafeHandles over ORT objects: each releases its object with the matching
/// <c>Release*</c> function exactly once, and ref-counting keeps a session alive while a Run that
/// holds it is in flight, even if <c>Dispose</c> is called meanwhile on another thread.
/// </summary>
internal abstract class OrtHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected OrtHandle() : base(ownsHandle: true) { }

    /// <summary>Adopts a freshly created native pointer.</summary>
    public void Adopt(IntPtr pointer) => SetHandle(pointer);
}

/// <summary>An <c>OrtEnv</c>.</summary>
internal sealed class OrtEnvHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseEnv(handle); return true; }
}

/// <summary>An <c>OrtSession</c>.</summary>
internal sealed class OrtSessionHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseSession(handle); return true; }
}

/// <summary>An <c>OrtSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseSessionOptions(handle); return true; }
}

/// <summary>An <c>OrtMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseMemoryInfo(handle); return true; }
}

/// <summary>An <c>OrtRunOptions</c>.</summary>
internal sealed class OrtRunOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseRunOptions(handle); return true; }
}

/// <summary>An <c>OrtCUDAProviderOptionsV2</c>.</summary>
internal sealed class OrtCudaOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle() { OrtApi.ReleaseCudaProviderOptions(handle); return true; }
}
