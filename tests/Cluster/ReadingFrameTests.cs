using Vigil.Cluster.Edge;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Tests;

public sealed class ReadingFrameTests
{
    [Fact]
    public void Readings_RoundTrip_SeveralPerFrame()
    {
        var readings = new List<Reading> { new("p-1", 0, [1, 2, 3]), new("pätient-2", 41, []), new("p-1", 1, new byte[1000]) };
        var back = ReadingFrame.DecodeReadings(ReadingFrame.EncodeReadings(readings));
        Assert.Equal(readings.Select(r => (r.PatientId, r.Seq, r.Payload.Length)), back.Select(r => (r.PatientId, r.Seq, r.Payload.Length)));
        Assert.Equal(readings[0].Payload, back[0].Payload);
    }

    [Fact]
    public void Results_RoundTrip()
    {
        var results = new List<WindowResult> { new("p", 7, "n1", [9, 8]), new("q", 0, "n2", []) };
        var back = ReadingFrame.DecodeResults(ReadingFrame.EncodeResults(results));
        Assert.Equal(results.Select(r => (r.PatientId, r.Seq, r.Node)), back.Select(r => (r.PatientId, r.Seq, r.Node)));
        Assert.Equal(results[0].Output, back[0].Output);
    }

    [Fact]
    public void Decode_Truncated_ErrorNamesOffset()
    {
        var frame = ReadingFrame.EncodeReadings([new Reading("p", 3, new byte[10])]);
        var e = Assert.Throws<FrameFormatException>(() => ReadingFrame.DecodeReadings(frame.AsSpan(0, frame.Length - 4)));
        Assert.Contains("malformed frame at byte", e.Message);
        var wrong = Assert.Throws<FrameFormatException>(() => ReadingFrame.DecodeReadings(ReadingFrame.EncodeResults([new WindowResult("p", 0, "n", [])])));
        Assert.Contains("wrong magic", wrong.Message);
    }
}
