using System.IO.Compression;
using Vigil.Models.Training.Adaptation;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Adaptation;

/// <summary>The IDX reader and the MNIST → USPS loader on the shared digits.</summary>
public sealed class DigitsDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_SharedDigits_CountsShapesAndRangeAsDocumented()
    {
        var data = DigitsData.Load(SharedData.Require("data/digits"));
        Assert.Equal(10000, data.MnistCount);
        Assert.Equal(7291, data.UspsTrainCount);
        Assert.Equal(2007, data.UspsTestCount);
        var (x, y) = data.UspsTrain(DigitsData.Sample(data.UspsTrainCount, 50, 1));
        using (x) using (y)
        {
            Assert.Equal(new long[] { 50, 1, 28, 28 }, x.shape);
            Assert.InRange(x.min().item<float>(), -1.0001f, -0.9f);
            Assert.InRange(x.max().item<float>(), 0.5f, 1.0001f);
            Assert.InRange(y.max().item<long>(), 0, 9);
        }
        // Label counts of the MNIST test set as the README lists them.
        var (_, labels) = data.Mnist();
        using (labels)
            Assert.Equal(new long[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, labels.bincount(null).data<long>().ToArray());
    }

    [Fact]
    public void Sample_SameSeed_SameDistinctIndices()
    {
        var a = DigitsData.Sample(100, 20, 4);
        Assert.Equal(a, DigitsData.Sample(100, 20, 4));
        Assert.Equal(20, a.Distinct().Count());
        Assert.NotEqual(a, DigitsData.Sample(100, 20, 5));
    }

    private string WriteGz(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
        return path;
    }

    [Fact]
    public void Read_GzippedIdx_ReturnsShapeAndBytes()
    {
        var path = WriteGz("ok.gz", [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
        var (shape, data) = IdxFile.Read(path);
        Assert.Equal([2, 3], shape);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, data);
    }

    [Fact]
    public void Read_TruncatedIdx_NamesTheFileAndTheCounts()
    {
        var path = WriteGz("short.gz", [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("short.gz", e.Message);
        Assert.Contains("5 values", e.Message);
    }

    [Fact]
    public void Read_FloatIdx_IsRefusedWithTheType()
    {
        var path = WriteGz("float.gz", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("0x0d", e.Message);
    }

    [Fact]
    public void Read_NotGzip_SaysSo()
    {
        var path = Path.Combine(_dir, "bad.gz");
        File.WriteAllText(path, "hello, not gzip");
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("bad.gz", e.Message);
    }
}
