using System.Collections;
using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx;

/// <summary>
/// The outputs of one run, in the order requested. The result owns the output tensors (pooled
/// buffers): dispose it when done, or <see cref="Detach"/> a tensor to keep it beyond that.
/// </summary>
public sealed class OnnxRunResult : IReadOnlyList<NamedTensor>, IDisposable
{
    private readonly string[] _names;
    private readonly Tensor?[] _tensors;

    internal OnnxRunResult(string modelId, string[] names, Tensor?[] tensors)
    {
        ModelId = modelId;
        _names = names;
        _tensors = tensors;
    }

    /// <summary>The model that produced these outputs.</summary>
    public string ModelId { get; }

    /// <summary>Number of outputs.</summary>
    public int Count => _names.Length;

    /// <summary>The output at <paramref name="index"/>.</summary>
    public NamedTensor this[int index] => new(_names[index], _tensors[index] ?? throw Detached(_names[index]));

    /// <summary>The output named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public Tensor this[string name] => _tensors[IndexOf(name)] ?? throw Detached(name);

    /// <summary>The output named <paramref name="name"/> as <typeparamref name="T"/>; a clear error on a type mismatch.</summary>
    public DenseTensor<T> Get<T>(string name) where T : unmanaged => this[name].As<T>();

    /// <summary>The output at <paramref name="index"/> as <typeparamref name="T"/>.</summary>
    public DenseTensor<T> Get<T>(int index) where T : unmanaged => this[index].Tensor.As<T>();

    /// <summary>Takes ownership of an output: this result will no longer dispose it.</summary>
    public Tensor Detach(string name)
    {
        var i = IndexOf(name);
        var t = _tensors[i] ?? throw Detached(name);
        _tensors[i] = null;
        return t;
    }

    /// <inheritdoc />
    public IEnumerator<NamedTensor> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns the output buffers to their pool.</summary>
    public void Dispose()
    {
        for (var i = 0; i < _tensors.Length; i++)
        {
            _tensors[i]?.Dispose();
            _tensors[i] = null;
        }
    }

    private int IndexOf(string name)
    {
        var i = Array.IndexOf(_names, name);
        return i >= 0 ? i : throw new KeyNotFoundException(
            $"Model '{ModelId}' produced no output '{name}' in this run (outputs: {string.Join(", ", _names)}).");
    }

    private InvalidOperationException Detached(string name) =>
        new($"Output '{name}' of model '{ModelId}' was detached from this result or the result was disposed.");
}
