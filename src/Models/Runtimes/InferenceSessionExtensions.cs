using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Runtimes;

/// <summary>Convenience forms of <see cref="IInferenceSession.Run"/>.</summary>
public static class InferenceSessionExtensions
{
    /// <summary>Runs with inputs given as a name → tensor map.</summary>
    public static OnnxRunResult Run(this IInferenceSession session, IReadOnlyDictionary<string, Tensor> inputs,
        IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(inputs);
        var pairs = new NamedTensor[inputs.Count];
        var k = 0;
        foreach (var (name, tensor) in inputs) pairs[k++] = new NamedTensor(name, tensor);
        return session.Run(pairs, outputNames, cancellation);
    }

    /// <summary>Runs a single-input model.</summary>
    public static OnnxRunResult Run(this IInferenceSession session, string inputName, Tensor input, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Run([new NamedTensor(inputName, input)], null, cancellation);
    }
}
