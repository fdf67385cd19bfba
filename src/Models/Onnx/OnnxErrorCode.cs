namespace Vigil.Models.Onnx;

/// <summary>
/// Why an ONNX operation failed. Values 0..11 are ONNX Runtime's <c>OrtErrorCode</c>; values from
/// 100 are Vigil's own (raised before ORT is called).
/// </summary>
public enum OnnxErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,
    /// <summary>Generic failure.</summary>
    Fail = 1,
    /// <summary>An argument was invalid (ORT's check of inputs, shapes, types).</summary>
    InvalidArgument = 2,
    /// <summary>The model file does not exist.</summary>
    NoSuchFile = 3,
    /// <summary>No model loaded.</summary>
    NoModel = 4,
    /// <summary>An execution engine error.</summary>
    EngineError = 5,
    /// <summary>A runtime exception inside ORT (e.g. a kernel failed on the given data).</summary>
    RuntimeException = 6,
    /// <summary>The model file is not a valid ONNX protobuf (corrupt or truncated).</summary>
    InvalidProtobuf = 7,
    /// <summary>A model was already loaded.</summary>
    ModelLoaded = 8,
    /// <summary>Not implemented (e.g. an operator unsupported by this build).</summary>
    NotImplemented = 9,
    /// <summary>The graph is invalid (type or shape inference failed, unknown operator).</summary>
    InvalidGraph = 10,
    /// <summary>An execution provider failed.</summary>
    ExecutionProviderFailure = 11,
    /// <summary>The native library could not be found or loaded.</summary>
    LibraryUnavailable = 100,
    /// <summary>The session was disposed.</summary>
    SessionDisposed = 101,
    /// <summary>An output type that Vigil's dense tensors cannot hold (strings, maps, sequences).</summary>
    UnsupportedOutput = 102,
}
