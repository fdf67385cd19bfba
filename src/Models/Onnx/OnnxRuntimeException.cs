namespace Vigil.Models.Onnx;

/// <summary>
/// An ONNX Runtime error, carrying ORT's own message and, when known, the model id and the
/// names, types and shapes of the inputs involved, so a failure can be traced to its request.
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>An error with ORT's code and message plus Vigil's context.</summary>
    public OnnxRuntimeException(OnnxErrorCode code, string runtimeMessage, string? modelId = null, string? context = null, Exception? inner = null)
        : base(Compose(code, runtimeMessage, modelId, context), inner)
    {
        ErrorCode = code;
        RuntimeMessage = runtimeMessage;
        ModelId = modelId;
        Context = context;
    }

    /// <summary>An error raised by Vigil before reaching ORT.</summary>
    public OnnxRuntimeException(OnnxErrorCode code, string message, Exception inner) : this(code, message, null, null, inner) { }

    /// <summary>Why it failed.</summary>
    public OnnxErrorCode ErrorCode { get; }

    /// <summary>The message exactly as ONNX Runtime (or the loader) gave it.</summary>
    public string RuntimeMessage { get; }

    /// <summary>The model the operation was for, when known.</summary>
    public string? ModelId { get; }

    /// <summary>What Vigil was doing, with input names and shapes where relevant.</summary>
    public string? Context { get; }

    private static string Compose(OnnxErrorCode code, string message, string? modelId, string? context)
    {
        var prefix = modelId is null ? "ONNX Runtime" : $"ONNX Runtime, model '{modelId}'";
        var where = context is null ? "" : $" while {context}";
        return $"{prefix}{where}: [{code}] {message}";
    }
}
