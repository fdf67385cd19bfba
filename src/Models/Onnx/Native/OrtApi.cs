using System.Runtime.InteropServices;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// The ORT C API function table for API version <see cref="OrtConstants.ApiVersion"/>, read once
/// into unmanaged function pointers (no delegates, no marshalling: every argument is blittable).
/// Every status-returning call goes through <see cref="Check"/>, which turns a non-null
/// <c>OrtStatus*</c> into an <see cref="OnnxRuntimeException"/> and releases the status.
/// </summary>
internal static unsafe class OrtApi
{
    private static readonly Lock Gate = new();
    private static IntPtr* _table;
    private static string? _version;

    /// <summary>The runtime's version string, e.g. "1.30.0".</summary>
    public static string Version
    {
        get { EnsureInitialised(); return _version!; }
    }

    /// <summary>Loads the library and reads the function table (once).</summary>
    public static void EnsureInitialised()
    {
        if (_table != null) return;
        lock (Gate)
        {
            if (_table != null) return;
            var path = OrtLibrary.EnsureLoaded();
            var apiBase = (IntPtr*)OrtLibrary.OrtGetApiBase();
            if (apiBase == null)
                throw new OnnxRuntimeException(OnnxErrorCode.LibraryUnavailable, $"OrtGetApiBase returned null ({path}).");
            var getApi = (delegate* unmanaged<uint, IntPtr*>)apiBase[0];
            var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
            var version = Marshal.PtrToStringUTF8((IntPtr)getVersion()) ?? "";
            var table = getApi(OrtConstants.ApiVersion);
            if (table == null)
                throw new OnnxRuntimeException(OnnxErrorCode.LibraryUnavailable,
                    $"ONNX Runtime {version} at '{path}' does not offer C API version {OrtConstants.ApiVersion}; Vigil needs 1.30 or newer.");
            _version = version;
            _table = table;
        }
    }

    private static IntPtr Fn(int index)
    {
        EnsureInitialised();
        return _table[index];
    }

    /// <summary>Throws when <paramref name="status"/> is an error; the status is released either way.</summary>
    public static void Check(IntPtr status, string? modelId = null, string? context = null)
    {
        if (status == IntPtr.Zero) return;
        throw ToException(status, modelId, context);
    }

    /// <summary>Reads and releases an error status, returning the exception that describes it.</summary>
    public static OnnxRuntimeException ToException(IntPtr status, string? modelId, string? context)
    {
        var code = ((delegate* unmanaged<IntPtr, int>)Fn(OrtApiIndex.GetErrorCode))(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Fn(OrtApiIndex.GetErrorMessage))(status)) ?? "";
        ReleaseStatus(status);
        return new OnnxRuntimeException((OnnxErrorCode)code, message, modelId, context);
    }

    // --- status -------------------------------------------------------------------------------
    public static IntPtr CreateStatus(int code, byte* message) =>
        ((delegate* unmanaged<int, byte*, IntPtr>)Fn(OrtApiIndex.CreateStatus))(code, message);
    public static void ReleaseStatus(IntPtr status) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseStatus))(status);

    // --- env ----------------------------------------------------------------------------------
    public static IntPtr CreateEnv(int logLevel, byte* logId, IntPtr* env) =>
        ((delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateEnv))(logLevel, logId, env);
    public static void ReleaseEnv(IntPtr env) => ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseEnv))(env);

    // --- session options ----------------------------------------------------------------------
    public static IntPtr CreateSessionOptions(IntPtr* options) =>
        ((delegate* unmanaged<IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateSessionOptions))(options);
    public static void ReleaseSessionOptions(IntPtr options) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseSessionOptions))(options);
    public static IntPtr SetSessionExecutionMode(IntPtr options, int mode) =>
        ((delegate* unmanaged<IntPtr, int, IntPtr>)Fn(OrtApiIndex.SetSessionExecutionMode))(options, mode);
    public static IntPtr SetSessionLogId(IntPtr options, byte* logId) =>
        ((delegate* unmanaged<IntPtr, byte*, IntPtr>)Fn(OrtApiIndex.SetSessionLogId))(options, logId);
    public static IntPtr SetSessionGraphOptimizationLevel(IntPtr options, int level) =>
        ((delegate* unmanaged<IntPtr, int, IntPtr>)Fn(OrtApiIndex.SetSessionGraphOptimizationLevel))(options, level);
    public static IntPtr SetIntraOpNumThreads(IntPtr options, int n) =>
        ((delegate* unmanaged<IntPtr, int, IntPtr>)Fn(OrtApiIndex.SetIntraOpNumThreads))(options, n);
    public static IntPtr SetInterOpNumThreads(IntPtr options, int n) =>
        ((delegate* unmanaged<IntPtr, int, IntPtr>)Fn(OrtApiIndex.SetInterOpNumThreads))(options, n);
    public static IntPtr AddSessionConfigEntry(IntPtr options, byte* key, byte* value) =>
        ((delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)Fn(OrtApiIndex.AddSessionConfigEntry))(options, key, value);

    // --- execution providers ------------------------------------------------------------------
    public static IntPtr GetAvailableProviders(byte*** providers, int* count) =>
        ((delegate* unmanaged<byte***, int*, IntPtr>)Fn(OrtApiIndex.GetAvailableProviders))(providers, count);
    public static IntPtr ReleaseAvailableProviders(byte** providers, int count) =>
        ((delegate* unmanaged<byte**, int, IntPtr>)Fn(OrtApiIndex.ReleaseAvailableProviders))(providers, count);
    public static IntPtr CreateCudaProviderOptions(IntPtr* options) =>
        ((delegate* unmanaged<IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateCUDAProviderOptions))(options);
    public static IntPtr UpdateCudaProviderOptions(IntPtr options, byte** keys, byte** values, nuint count) =>
        ((delegate* unmanaged<IntPtr, byte**, byte**, nuint, IntPtr>)Fn(OrtApiIndex.UpdateCUDAProviderOptions))(options, keys, values, count);
    public static void ReleaseCudaProviderOptions(IntPtr options) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseCUDAProviderOptions))(options);
    public static IntPtr AppendExecutionProviderCudaV2(IntPtr sessionOptions, IntPtr cudaOptions) =>
        ((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Fn(OrtApiIndex.SessionOptionsAppendExecutionProvider_CUDA_V2))(sessionOptions, cudaOptions);

    // --- session ------------------------------------------------------------------------------
    public static IntPtr CreateSession(IntPtr env, byte* path, IntPtr options, IntPtr* session) =>
        ((delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateSession))(env, path, options, session);
    public static IntPtr CreateSessionFromArray(IntPtr env, void* data, nuint length, IntPtr options, IntPtr* session) =>
        ((delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateSessionFromArray))(env, data, length, options, session);
    public static void ReleaseSession(IntPtr session) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseSession))(session);
    public static IntPtr SessionGetInputCount(IntPtr session, nuint* count) =>
        ((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Fn(OrtApiIndex.SessionGetInputCount))(session, count);
    public static IntPtr SessionGetOutputCount(IntPtr session, nuint* count) =>
        ((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Fn(OrtApiIndex.SessionGetOutputCount))(session, count);
    public static IntPtr SessionGetInputTypeInfo(IntPtr session, nuint index, IntPtr* typeInfo) =>
        ((delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Fn(OrtApiIndex.SessionGetInputTypeInfo))(session, index, typeInfo);
    public static IntPtr SessionGetOutputTypeInfo(IntPtr session, nuint index, IntPtr* typeInfo) =>
        ((delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Fn(OrtApiIndex.SessionGetOutputTypeInfo))(session, index, typeInfo);
    public static IntPtr SessionGetInputName(IntPtr session, nuint index, IntPtr allocator, byte** name) =>
        ((delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)Fn(OrtApiIndex.SessionGetInputName))(session, index, allocator, name);
    public static IntPtr SessionGetOutputName(IntPtr session, nuint index, IntPtr allocator, byte** name) =>
        ((delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)Fn(OrtApiIndex.SessionGetOutputName))(session, index, allocator, name);
    public static IntPtr Run(IntPtr session, IntPtr runOptions, IntPtr* inputNames, IntPtr* inputs, nuint inputCount,
        IntPtr* outputNames, nuint outputCount, IntPtr* outputs) =>
        ((delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)Fn(OrtApiIndex.Run))(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    // --- run options --------------------------------------------------------------------------
    public static IntPtr CreateRunOptions(IntPtr* options) =>
        ((delegate* unmanaged<IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateRunOptions))(options);
    public static IntPtr RunOptionsSetTerminate(IntPtr options) =>
        ((delegate* unmanaged<IntPtr, IntPtr>)Fn(OrtApiIndex.RunOptionsSetTerminate))(options);
    public static void ReleaseRunOptions(IntPtr options) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseRunOptions))(options);

    // --- type info ----------------------------------------------------------------------------
    public static IntPtr GetOnnxTypeFromTypeInfo(IntPtr typeInfo, int* type) =>
        ((delegate* unmanaged<IntPtr, int*, IntPtr>)Fn(OrtApiIndex.GetOnnxTypeFromTypeInfo))(typeInfo, type);
    public static IntPtr CastTypeInfoToTensorInfo(IntPtr typeInfo, IntPtr* tensorInfo) =>
        ((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Fn(OrtApiIndex.CastTypeInfoToTensorInfo))(typeInfo, tensorInfo);
    public static void ReleaseTypeInfo(IntPtr typeInfo) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseTypeInfo))(typeInfo);
    public static IntPtr GetTensorElementType(IntPtr info, int* type) =>
        ((delegate* unmanaged<IntPtr, int*, IntPtr>)Fn(OrtApiIndex.GetTensorElementType))(info, type);
    public static IntPtr GetDimensionsCount(IntPtr info, nuint* count) =>
        ((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Fn(OrtApiIndex.GetDimensionsCount))(info, count);
    public static IntPtr GetDimensions(IntPtr info, long* dims, nuint count) =>
        ((delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)Fn(OrtApiIndex.GetDimensions))(info, dims, count);
    public static IntPtr GetSymbolicDimensions(IntPtr info, byte** names, nuint count) =>
        ((delegate* unmanaged<IntPtr, byte**, nuint, IntPtr>)Fn(OrtApiIndex.GetSymbolicDimensions))(info, names, count);
    public static void ReleaseTensorTypeAndShapeInfo(IntPtr info) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseTensorTypeAndShapeInfo))(info);

    // --- values -------------------------------------------------------------------------------
    public static IntPtr CreateTensorWithDataAsOrtValue(IntPtr memoryInfo, void* data, nuint byteLength,
        long* shape, nuint rank, int elementType, IntPtr* value) =>
        ((delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateTensorWithDataAsOrtValue))(
            memoryInfo, data, byteLength, shape, rank, elementType, value);
    public static IntPtr GetValueType(IntPtr value, int* type) =>
        ((delegate* unmanaged<IntPtr, int*, IntPtr>)Fn(OrtApiIndex.GetValueType))(value, type);
    public static IntPtr GetTensorTypeAndShape(IntPtr value, IntPtr* info) =>
        ((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Fn(OrtApiIndex.GetTensorTypeAndShape))(value, info);
    public static IntPtr GetTensorMutableData(IntPtr value, void** data) =>
        ((delegate* unmanaged<IntPtr, void**, IntPtr>)Fn(OrtApiIndex.GetTensorMutableData))(value, data);
    public static void ReleaseValue(IntPtr value) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseValue))(value);

    // --- memory -------------------------------------------------------------------------------
    public static IntPtr CreateCpuMemoryInfo(int allocatorType, int memType, IntPtr* info) =>
        ((delegate* unmanaged<int, int, IntPtr*, IntPtr>)Fn(OrtApiIndex.CreateCpuMemoryInfo))(allocatorType, memType, info);
    public static void ReleaseMemoryInfo(IntPtr info) =>
        ((delegate* unmanaged<IntPtr, void>)Fn(OrtApiIndex.ReleaseMemoryInfo))(info);
    public static IntPtr GetAllocatorWithDefaultOptions(IntPtr* allocator) =>
        ((delegate* unmanaged<IntPtr*, IntPtr>)Fn(OrtApiIndex.GetAllocatorWithDefaultOptions))(allocator);
    public static IntPtr AllocatorFree(IntPtr allocator, void* p) =>
        ((delegate* unmanaged<IntPtr, void*, IntPtr>)Fn(OrtApiIndex.AllocatorFree))(allocator, p);
}
