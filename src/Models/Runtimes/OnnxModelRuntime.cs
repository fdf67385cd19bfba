using Vigil.Models.Cards;
using Vigil.Models.Onnx;

namespace Vigil.Models.Runtimes;

/// <summary>The <c>onnxruntime</c> runtime: an ONNX file run by <see cref="OnnxSession"/>.</summary>
public sealed class OnnxModelRuntime : IModelRuntime
{
    /// <inheritdoc />
    public string Name => ModelRuntimeNames.OnnxRuntime;

    /// <inheritdoc />
    public IInferenceSession Open(ModelCard card, byte[] modelBytes, OnnxSessionOptions sessionOptions)
    {
        ArgumentNullException.ThrowIfNull(card);
        sessionOptions.ModelId = card.Id;
        try
        {
            return OnnxSession.Load(modelBytes, card.Id, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelCardException(card.CardPath, "file", $"ONNX Runtime cannot load '{card.ModelPath}': {e.RuntimeMessage}", e);
        }
    }
}
