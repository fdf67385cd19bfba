namespace Vigil.Models.Onnx.Native;

/// <summary>Constants of the ORT C API that are passed by value (enum values from the header).</summary>
internal static class OrtConstants
{
    /// <summary>The API version requested from <c>OrtApiBase::GetApi</c>: ONNX Runtime 1.30 declares 30.</summary>
    public const uint ApiVersion = 30;

    public const int LoggingLevelWarning = 2;
    public const int LoggingLevelError = 3;

    public const int ArenaAllocator = 1;
    public const int MemTypeDefault = 0;

    public const int OnnxTypeTensor = 1;

    public const int ExecutionSequential = 0;
    public const int ExecutionParallel = 1;
}
