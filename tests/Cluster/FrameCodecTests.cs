using Vigil.Models.Tensors;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Tests;

public sealed class FrameCodecTests
{
    private static InferenceRequest Request(int n, byte priority = 0) => new(
        Guid.NewGuid(), "tiny", "2",
        [WireTensor.FromFloats("x", [1, n], Enumerable.Range(0, n).Select(i => (float)i).ToArray())],
        DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), priority, "patient-7/window-3");

    [Fact]
    public void RequestFrame_RoundTrip_PreservesEveryField()
    {
        var requests = new[] { Request(3, 9), Request(256) };
        var back = FrameCodec.DecodeRequests(FrameCodec.EncodeRequests(requests));
        Assert.Equal(2, back.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(requests[i].Id, back[i].Id);
            Assert.Equal(requests[i].Deadline, back[i].Deadline);
            Assert.Equal(requests[i].Priority, back[i].Priority);
            Assert.Equal("tiny", back[i].ModelId);
            Assert.Equal("2", back[i].ModelVersion);
            Assert.Equal("patient-7/window-3", back[i].InputIdentity);
            Assert.Equal(requests[i].Inputs[0].Shape, back[i].Inputs[0].Shape);
            Assert.Equal(requests[i].Inputs[0].ToFloats(), back[i].Inputs[0].ToFloats());
        }
    }

    [Fact]
    public void RequestFrame_OneKilobyteTensor_OverheadIsSmall()
    {
        var bytes = FrameCodec.EncodeRequests([Request(256)]);
        Assert.InRange(bytes.Length - 1024, 1, 80);
    }

    [Fact]
    public void ResultFrame_RoundTrip_PreservesEveryField()
    {
        var r = new InferenceResult(Guid.NewGuid(), InferenceStatus.DeadlineExceeded, "tiny", "2", new string('a', 64), "node-1",
            "id", "deadline passed 5 ms before the node took it", [WireTensor.FromFloats("y", [2], [1f, 2f])]);
        var back = Assert.Single(FrameCodec.DecodeResults(FrameCodec.EncodeResults([r])));
        Assert.Equal(r with { Outputs = back.Outputs }, back);
        Assert.Equal([1f, 2f], back.Outputs[0].ToFloats());
    }

    [Fact]
    public void Decode_TruncatedFrame_FailsNamingTheOffset()
    {
        var bytes = FrameCodec.EncodeRequests([Request(16)]);
        var e = Assert.Throws<FrameFormatException>(() => FrameCodec.DecodeRequests(bytes.AsSpan(0, bytes.Length - 5)));
        Assert.Contains("malformed frame at byte", e.Message);
    }

    [Fact]
    public void Decode_ResultFrameAsRequests_FailsWithKind()
    {
        var bytes = FrameCodec.EncodeResults([new InferenceResult(Guid.NewGuid(), InferenceStatus.Ok, "m", "1", "", "n", "", "", [])]);
        var e = Assert.Throws<FrameFormatException>(() => FrameCodec.DecodeRequests(bytes));
        Assert.Contains("expected a request frame", e.Message);
    }

    [Fact]
    public void Decode_GarbageBytes_FailsWithBadMagic()
    {
        var e = Assert.Throws<FrameFormatException>(() => FrameCodec.DecodeRequests(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void WireTensor_BytesDoNotMatchShape_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new WireTensor("x", TensorElementType.Float32, [2, 3], new byte[20]));
        Assert.Contains("needs 24 bytes, got 20", e.Message);
    }
}
