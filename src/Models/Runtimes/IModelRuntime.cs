using Vigil.Models.Cards;
using Vigil.Models.Onnx;

namespace Vigil.Models.Runtimes;

/// <summary>
/// Opens the model a card describes on one runtime. The catalog has already read the file and
/// checked its sha256; the runtime opens the model from those same bytes, so the file cannot
/// change between the check and the load. A model the runtime cannot open is a
/// <see cref="ModelCardException"/> naming the card and what is wrong.
/// </summary>
public interface IModelRuntime
{
    /// <summary>The card <c>runtime</c> value this runtime serves (<see cref="ModelRuntimeNames"/>).</summary>
    string Name { get; }

    /// <summary>Opens <paramref name="card"/>'s model from <paramref name="modelBytes"/>.</summary>
    IInferenceSession Open(ModelCard card, byte[] modelBytes, OnnxSessionOptions sessionOptions);
}
