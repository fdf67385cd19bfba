using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// MNIST → USPS, the ADDA paper's digits benchmark, read from IDX files under one folder
/// (<c>mnist/t10k-{images-idx3,labels-idx1}-ubyte.gz</c>,
/// <c>usps/usps-{train,test}-{images-idx3,labels-idx1}-ubyte.gz</c>, as in <c>../shared/data/digits</c>).
/// Images become float tensors [N, 1, 28, 28] in [-1, 1] (USPS's 16×16 resized bilinearly); labels int64.
/// </summary>
public sealed class DigitsData
{
    private readonly (int[] Shape, byte[] Data) _mnistImages, _mnistLabels, _uspsTrainImages, _uspsTrainLabels, _uspsTestImages, _uspsTestLabels;

    private DigitsData(string root)
    {
        Root = root;
        (int[], byte[]) Read(params string[] parts)
        {
            var path = Path.Combine([root, .. parts]);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: digits file not found (expected the layout of ../shared/data/digits).", path);
            return IdxFile.Read(path);
        }
        _mnistImages = Read("mnist", "t10k-images-idx3-ubyte.gz");
        _mnistLabels = Read("mnist", "t10k-labels-idx1-ubyte.gz");
        _uspsTrainImages = Read("usps", "usps-train-images-idx3-ubyte.gz");
        _uspsTrainLabels = Read("usps", "usps-train-labels-idx1-ubyte.gz");
        _uspsTestImages = Read("usps", "usps-test-images-idx3-ubyte.gz");
        _uspsTestLabels = Read("usps", "usps-test-labels-idx1-ubyte.gz");
        Check("MNIST", _mnistImages, _mnistLabels);
        Check("USPS train", _uspsTrainImages, _uspsTrainLabels);
        Check("USPS test", _uspsTestImages, _uspsTestLabels);
    }

    /// <summary>The folder read.</summary>
    public string Root { get; }

    /// <summary>Images in the MNIST file.</summary>
    public int MnistCount => _mnistImages.Shape[0];

    /// <summary>Images in the USPS training file.</summary>
    public int UspsTrainCount => _uspsTrainImages.Shape[0];

    /// <summary>Images in the USPS test file.</summary>
    public int UspsTestCount => _uspsTestImages.Shape[0];

    /// <summary>Reads the six files under <paramref name="root"/>.</summary>
    public static DigitsData Load(string root) => new(root);

    /// <summary>MNIST images at <paramref name="indices"/> (all when null) and their labels.</summary>
    public (Tensor X, Tensor Y) Mnist(IReadOnlyList<int>? indices = null) => Take(_mnistImages, _mnistLabels, indices);

    /// <summary>USPS training images at <paramref name="indices"/> (all when null), resized to 28×28, and their labels.</summary>
    public (Tensor X, Tensor Y) UspsTrain(IReadOnlyList<int>? indices = null) => Take(_uspsTrainImages, _uspsTrainLabels, indices);

    /// <summary>The USPS test set, resized to 28×28, and its labels.</summary>
    public (Tensor X, Tensor Y) UspsTest() => Take(_uspsTestImages, _uspsTestLabels, null);

    /// <summary><paramref name="take"/> distinct indices of 0..<paramref name="count"/>-1 drawn with <paramref name="seed"/>.</summary>
    public static int[] Sample(int count, int take, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, count);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order[..take];
    }

    private static (Tensor X, Tensor Y) Take((int[] Shape, byte[] Data) images, (int[] Shape, byte[] Data) labels, IReadOnlyList<int>? indices)
    {
        TorchSharpNative.EnsureLoaded();
        int h = images.Shape[1], w = images.Shape[2], size = h * w;
        var pick = indices ?? Enumerable.Range(0, images.Shape[0]).ToArray();
        var x = new float[pick.Count * size];
        var y = new long[pick.Count];
        for (var i = 0; i < pick.Count; i++)
        {
            var src = pick[i];
            for (var p = 0; p < size; p++) x[i * size + p] = images.Data[src * size + p] / 127.5f - 1f;
            y[i] = labels.Data[src];
        }
        var t = tensor(x, [pick.Count, 1, h, w]);
        if (h != 28 || w != 28)
        {
            var resized = nn.functional.interpolate(t, size: [28, 28], mode: InterpolationMode.Bilinear, align_corners: false);
            t.Dispose();
            t = resized;
        }
        return (t, tensor(y));
    }

    private void Check(string what, (int[] Shape, byte[] Data) images, (int[] Shape, byte[] Data) labels)
    {
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"{Root}: {what} images have {images.Shape.Length} dimensions, 3 (N, height, width) expected.");
        if (labels.Shape.Length != 1 || labels.Shape[0] != images.Shape[0])
            throw new InvalidDataException($"{Root}: {what} has {images.Shape[0]} images but labels of shape [{string.Join(",", labels.Shape)}].");
        if (labels.Data.Any(l => l > 9))
            throw new InvalidDataException($"{Root}: {what} labels must be digits 0-9.");
    }
}
