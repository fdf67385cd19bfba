using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// The LeNet variant of the ADDA paper's digit experiments, split as ADDA needs it: an encoder
/// (two 5×5 convolutions with 20 and 50 channels, max-pooling, ReLU, 2-D dropout, then a 500-wide
/// linear layer) and a classifier (ReLU, dropout, linear to the classes).
/// </summary>
public static class LeNet
{
    /// <summary>Width of the encoder's features.</summary>
    public const int FeatureSize = 500;

    /// <summary>The encoder for single-channel 28×28 inputs (the paper's).</summary>
    public static nn.Module<Tensor, Tensor> Encoder() => nn.Sequential(
        ("conv1", nn.Conv2d(1, 20, 5)), ("pool1", nn.MaxPool2d(2)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(20, 50, 5)), ("drop", nn.Dropout2d(0.5)), ("pool2", nn.MaxPool2d(2)), ("relu2", nn.ReLU()),
        ("flat", nn.Flatten()), ("fc1", nn.Linear(50 * 4 * 4, FeatureSize)));

    /// <summary>
    /// The same encoder for single-channel inputs of any size from 28×28 up: the last feature map is
    /// average-pooled to 4×4 before the linear layer (at 28×28 the pooling changes nothing).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Encoder(int inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 28);
        if (inputSize == 28) return Encoder();
        return nn.Sequential(
            ("conv1", nn.Conv2d(1, 20, 5)), ("pool1", nn.MaxPool2d(2)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(20, 50, 5)), ("drop", nn.Dropout2d(0.5)), ("pool2", nn.MaxPool2d(2)), ("relu2", nn.ReLU()),
            ("squeeze", nn.AdaptiveAvgPool2d(4)), ("flat", nn.Flatten()), ("fc1", nn.Linear(50 * 4 * 4, FeatureSize)));
    }

    /// <summary>The classifier on the encoder's features.</summary>
    public static nn.Module<Tensor, Tensor> Classifier(int classes) => nn.Sequential(
        ("relu", nn.ReLU()), ("drop", nn.Dropout(0.5)), ("fc2", nn.Linear(FeatureSize, classes)));
}
