using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Catalog;

/// <summary>
/// Checks a model file against its card: the sha256 of the bytes, then (once a session is open)
/// every input and output's name, element type, rank and dimensions. Symbolic dimensions must be
/// symbolic on both sides (their names may differ); fixed ones must be equal.
/// </summary>
public static class ModelVerifier
{
    /// <summary>Throws <see cref="ModelCardMismatchException"/> when <paramref name="actualSha256"/> differs from the card's.</summary>
    public static void VerifyChecksum(ModelCard card, string actualSha256)
    {
        if (!string.Equals(card.Sha256, actualSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardMismatchException(card.CardPath, card.ToString(), "sha256", card.Sha256.ToLowerInvariant(), actualSha256);
    }

    /// <summary>Throws <see cref="ModelCardMismatchException"/> naming the first field where the session's signature differs from the card.</summary>
    public static void VerifySignature(ModelCard card, IReadOnlyList<OnnxTensorInfo> inputs, IReadOnlyList<OnnxTensorInfo> outputs)
    {
        Compare(card, "inputs", card.Inputs, inputs);
        Compare(card, "outputs", card.Outputs, outputs);
    }

    private static void Compare(ModelCard card, string kind, IReadOnlyList<CardTensor> declared, IReadOnlyList<OnnxTensorInfo> actual)
    {
        string Names(IEnumerable<string> names) => "[" + string.Join(", ", names) + "]";
        ModelCardMismatchException Mismatch(string field, string cardValue, string fileValue) =>
            new(card.CardPath, card.ToString(), field, cardValue, fileValue);

        var cardNames = declared.Select(t => t.Name).ToList();
        var fileNames = actual.Select(t => t.Name).ToList();
        if (!cardNames.Order(StringComparer.Ordinal).SequenceEqual(fileNames.Order(StringComparer.Ordinal)))
            throw Mismatch(kind, Names(cardNames), Names(fileNames));

        foreach (var want in declared)
        {
            var have = actual.First(a => a.Name == want.Name);
            var at = $"{kind}[{want.Name}]";
            var haveType = TensorElementTypes.Name(have.ElementType);
            if (!string.Equals(want.ElementType, haveType, StringComparison.OrdinalIgnoreCase))
                throw Mismatch(at + ".element_type", want.ElementType, haveType);
            if (want.Shape.Count != have.Rank)
                throw Mismatch(at + ".shape", $"rank {want.Shape.Count} {CardDimension.Format(want.Shape)}", $"rank {have.Rank} {have.ShapeText}");
            for (var i = 0; i < want.Shape.Count; i++)
            {
                var w = want.Shape[i];
                var h = have.Dimensions[i];
                if (w.IsFixed != h.IsFixed || (w.IsFixed && w.Size != h.Size))
                    throw Mismatch($"{at}.shape[{i}]", w.IsFixed ? $"{w.Size} (fixed)" : $"{w.Symbol} (symbolic)",
                        h.IsFixed ? $"{h.Size} (fixed)" : $"{h} (symbolic)");
            }
        }
    }
}
