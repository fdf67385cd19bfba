using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// The domain discriminator of ADDA: features → two hidden layers with ReLU → two logits
/// (index 1 = source domain, 0 = target domain), as in the paper (500-500 for LeNet features).
/// </summary>
public static class DomainDiscriminator
{
    /// <summary>Logit index of the source domain.</summary>
    public const long Source = 1;
    /// <summary>Logit index of the target domain.</summary>
    public const long Target = 0;

    /// <summary>Builds a discriminator over <paramref name="featureSize"/>-dimensional features.</summary>
    public static nn.Module<Tensor, Tensor> Create(int featureSize, int hidden) => nn.Sequential(
        ("fc1", nn.Linear(featureSize, hidden)), ("relu1", nn.ReLU()),
        ("fc2", nn.Linear(hidden, hidden)), ("relu2", nn.ReLU()),
        ("out", nn.Linear(hidden, 2)));
}
