using System.Text;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// Builds <c>OrtSessionOptions</c> from <see cref="OnnxSessionOptions"/> and creates the session,
/// appending the requested execution providers and falling back to CPU (with a logged reason)
/// when the library or the machine cannot provide one.
/// </summary>
internal static unsafe class OrtSessionFactory
{
    public const string CudaProviderName = "CUDAExecutionProvider";

    /// <summary>What was created: the session and the providers actually in use, in preference order.</summary>
    public readonly record struct Created(OrtSessionHandle Session, IReadOnlyList<string> Providers, string? FallbackReason);

    /// <summary>Creates a session from a file path or from bytes (exactly one of them).</summary>
    public static Created Create(string modelId, string? path, ReadOnlySpan<byte> bytes, OnnxSessionOptions options, Action<string> log)
    {
        var env = OrtEnvironment.Env;
        foreach (var name in options.ExecutionProviders)
            if (!string.Equals(name, OnnxSessionOptions.Cpu, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, OnnxSessionOptions.Cuda, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException(
                    $"Unknown execution provider '{name}' for model '{modelId}'. Vigil knows \"{OnnxSessionOptions.Cpu}\" and \"{OnnxSessionOptions.Cuda}\".",
                    nameof(options));

        var wantsCuda = options.ExecutionProviders.Any(n => string.Equals(n, OnnxSessionOptions.Cuda, StringComparison.OrdinalIgnoreCase));
        string? fallback = null;
        if (wantsCuda && !OrtEnvironment.AvailableProviders.Contains(CudaProviderName))
        {
            fallback = $"CUDA requested for model '{modelId}', but this ONNX Runtime build ({OrtApi.Version}) has no CUDA provider " +
                       $"(available: {string.Join(", ", OrtEnvironment.AvailableProviders)}); running on CPU.";
            log(fallback);
            wantsCuda = false;
        }

        if (wantsCuda)
        {
            using var cudaOptions = BuildOptions(modelId, options);
            var cudaError = TryAppendCuda(cudaOptions, options.CudaDeviceId);
            if (cudaError is null)
            {
                var session = TryCreate(env, modelId, path, bytes, cudaOptions, out var createError);
                if (session is not null) return new Created(session, ["CUDA", "CPU"], null);
                // A model error is the same on every provider: report it rather than retrying.
                if (createError!.ErrorCode is OnnxErrorCode.InvalidProtobuf or OnnxErrorCode.NoSuchFile or OnnxErrorCode.InvalidGraph)
                    throw createError;
                cudaError = createError.RuntimeMessage;
            }
            fallback = $"CUDA requested for model '{modelId}' but unavailable on this machine ({cudaError}); running on CPU.";
            log(fallback);
        }

        using var cpuOptions = BuildOptions(modelId, options);
        var cpu = TryCreate(env, modelId, path, bytes, cpuOptions, out var error);
        return cpu is not null ? new Created(cpu, ["CPU"], fallback) : throw error!;
    }

    private static OrtSessionOptionsHandle BuildOptions(string modelId, OnnxSessionOptions options)
    {
        var handle = new OrtSessionOptionsHandle();
        IntPtr p;
        OrtApi.Check(OrtApi.CreateSessionOptions(&p), modelId, "creating session options");
        handle.Adopt(p);
        var o = handle.DangerousGetHandle();
        if (options.IntraOpThreads < 0 || options.InterOpThreads < 0)
            throw new ArgumentException($"Thread counts must be >= 0 (model '{modelId}').", nameof(options));
        OrtApi.Check(OrtApi.SetIntraOpNumThreads(o, options.IntraOpThreads), modelId, "setting intra-op threads");
        OrtApi.Check(OrtApi.SetInterOpNumThreads(o, options.InterOpThreads), modelId, "setting inter-op threads");
        OrtApi.Check(OrtApi.SetSessionGraphOptimizationLevel(o, (int)options.GraphOptimizationLevel), modelId, "setting graph optimisation");
        OrtApi.Check(OrtApi.SetSessionExecutionMode(o, options.ParallelExecution ? OrtConstants.ExecutionParallel : OrtConstants.ExecutionSequential),
            modelId, "setting execution mode");
        fixed (byte* id = Utf8(modelId))
            OrtApi.Check(OrtApi.SetSessionLogId(o, id), modelId, "setting log id");
        if (options.ConfigEntries is { } entries)
            foreach (var (key, value) in entries)
                fixed (byte* k = Utf8(key))
                fixed (byte* v = Utf8(value))
                    OrtApi.Check(OrtApi.AddSessionConfigEntry(o, k, v), modelId, $"setting session config '{key}'");
        return handle;
    }

    /// <summary>Appends CUDA; returns ORT's error message instead of throwing when it cannot.</summary>
    private static string? TryAppendCuda(OrtSessionOptionsHandle options, int deviceId)
    {
        IntPtr cuda;
        var status = OrtApi.CreateCudaProviderOptions(&cuda);
        if (status != IntPtr.Zero) return OrtApi.ToException(status, null, null).RuntimeMessage;
        using var cudaHandle = new OrtCudaOptionsHandle();
        cudaHandle.Adopt(cuda);
        fixed (byte* key = "device_id\0"u8)
        fixed (byte* value = Utf8(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            var k = key;
            var v = value;
            status = OrtApi.UpdateCudaProviderOptions(cuda, &k, &v, 1);
        }
        if (status != IntPtr.Zero) return OrtApi.ToException(status, null, null).RuntimeMessage;
        status = OrtApi.AppendExecutionProviderCudaV2(options.DangerousGetHandle(), cuda);
        return status == IntPtr.Zero ? null : OrtApi.ToException(status, null, null).RuntimeMessage;
    }

    private static OrtSessionHandle? TryCreate(OrtEnvHandle env, string modelId, string? path, ReadOnlySpan<byte> bytes,
        OrtSessionOptionsHandle options, out OnnxRuntimeException? error)
    {
        IntPtr session = IntPtr.Zero;
        IntPtr status;
        if (path is not null)
        {
            fixed (byte* p = Utf8(path))
                status = OrtApi.CreateSession(env.DangerousGetHandle(), p, options.DangerousGetHandle(), &session);
        }
        else
        {
            fixed (byte* data = bytes)
                status = OrtApi.CreateSessionFromArray(env.DangerousGetHandle(), data, (nuint)bytes.Length, options.DangerousGetHandle(), &session);
        }
        if (status != IntPtr.Zero)
        {
            error = OrtApi.ToException(status, modelId, path is null ? $"loading the model from {bytes.Length} bytes" : $"loading the model from '{path}'");
            return null;
        }
        error = null;
        var handle = new OrtSessionHandle();
        handle.Adopt(session);
        return handle;
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/>.</summary>
    public static byte[] Utf8(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
