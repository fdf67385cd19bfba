using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Runtimes;

/// <summary>
/// A loaded model that runs named tensors, whatever runtime executes it (ONNX Runtime, OpenCV
/// DNN, TorchSharp). The catalog, leases and the batcher work on this, so every card is served
/// the same way. Implementations validate inputs against <see cref="Inputs"/> and say which input
/// is wrong and how; running is safe to call from several threads at once.
/// </summary>
public interface IInferenceSession : IDisposable
{
    /// <summary>The id used in errors and logs (the card's id when served by the catalog).</summary>
    string ModelId { get; }

    /// <summary>The runtime that executes it: a <see cref="ModelRuntimeNames"/> value.</summary>
    string Runtime { get; }

    /// <summary>The declared inputs, in order.</summary>
    IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The declared outputs, in order.</summary>
    IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>Where it computes, in preference order (e.g. "CUDA", "CPU").</summary>
    IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>Runs the model; returns the requested outputs (all when <paramref name="outputNames"/> is null), in that order.</summary>
    /// <exception cref="OnnxInputException">An input is missing, unknown, or has the wrong type or shape.</exception>
    OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default);

    /// <summary>Runs with inputs given as a name → tensor map.</summary>
    OnnxRunResult Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pairs = new NamedTensor[inputs.Count];
        var k = 0;
        foreach (var (name, tensor) in inputs) pairs[k++] = new NamedTensor(name, tensor);
        return Run(pairs, outputNames, cancellation);
    }

    /// <summary>Runs a single-input model.</summary>
    OnnxRunResult Run(string inputName, Tensor input, CancellationToken cancellation = default) =>
        Run([new NamedTensor(inputName, input)], null, cancellation);
}
