using TorchSharp;

namespace Vigil.Models.Training;

/// <summary>
/// Seeds libtorch so that weight initialisation and dropout repeat given the seed. Call it before
/// building a model. Results repeat exactly on the same machine and thread count.
/// </summary>
public static class TorchDeterminism
{
    /// <summary>Loads TorchSharp (see <see cref="TorchSharpNative"/>) and seeds its generator.</summary>
    public static void Seed(int seed)
    {
        TorchSharpNative.EnsureLoaded();
        torch.random.manual_seed(seed);
    }
}
