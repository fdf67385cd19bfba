using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vigil.BoneAge.Training;

/// <summary>
/// The shipped bone-age model: one <see cref="BoneAgeHead"/> per cross-validation fold and input
/// scale (scale by scale, fold within scale), averaged.
/// </summary>
public sealed class BoneAgeEnsemble : nn.Module
{
    private readonly ModuleList<BoneAgeHead> _heads;

    /// <summary>An ensemble of <paramref name="members"/> heads (weights to be loaded or trained).</summary>
    public BoneAgeEnsemble(int members) : base(nameof(BoneAgeEnsemble))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        _heads = new ModuleList<BoneAgeHead>(Enumerable.Range(0, members).Select(_ => new BoneAgeHead()).ToArray());
        RegisterComponents();
    }

    /// <summary>The member heads.</summary>
    public IReadOnlyList<BoneAgeHead> Heads => _heads.ToList();

    /// <summary>Every member's prediction in months: <c>[members, N]</c>.</summary>
    public Tensor PredictAll(Tensor features, Tensor male) => Predict(features, male, 0, _heads.Count);

    /// <summary>The predictions of members <paramref name="first"/> .. first + count − 1 in months: <c>[count, N]</c>.</summary>
    public Tensor Predict(Tensor features, Tensor male, int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, _heads.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return stack(_heads.Skip(first).Take(count).Select(h => h.forward(features, male)).ToArray(), 0).MoveToOuterDisposeScope();
    }
}
