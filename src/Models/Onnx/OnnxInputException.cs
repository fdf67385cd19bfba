namespace Vigil.Models.Onnx;

/// <summary>
/// An input that does not fit the model (unknown or missing name, wrong element type, wrong rank
/// or dimension), detected by Vigil before ONNX Runtime is called.
/// </summary>
public sealed class OnnxInputException : ArgumentException
{
    /// <summary>An input error for <paramref name="inputName"/> of <paramref name="modelId"/>.</summary>
    public OnnxInputException(string modelId, string inputName, string message)
        : base($"Model '{modelId}', input '{inputName}': {message}", inputName)
    {
        ModelId = modelId;
        InputName = inputName;
    }

    /// <summary>The model the input was for.</summary>
    public string ModelId { get; }

    /// <summary>The input that is wrong.</summary>
    public string InputName { get; }
}
