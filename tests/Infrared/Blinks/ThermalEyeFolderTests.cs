using System.Buffers.Binary;
using Vigil.Infrared.Blinks;
using Xunit;

namespace Vigil.Infrared.Tests.Blinks;

public sealed class ThermalEyeFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-eye-").FullName;
    private const string Name = "normal__abc_indoor_normal_20250708_185854_552";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(int frames = 3, int? bytes = null, string? times = null, string? blinks = "start_ms,end_ms\n100,300\n", string? meta = null)
    {
        var data = new byte[bytes ?? frames * 192 * 2];
        for (var i = 0; i + 1 < data.Length; i += 2) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i), 3456);
        File.WriteAllBytes(Path.Combine(_dir, Name + ".i16"), data);
        File.WriteAllText(Path.Combine(_dir, Name + ".frames.csv"), times ?? "frame,timestamp_ms\n" + string.Concat(Enumerable.Range(0, frames).Select(i => $"{i},{i * 64}\n")));
        if (blinks is not null) File.WriteAllText(Path.Combine(_dir, Name + ".blinks.csv"), blinks);
        File.WriteAllText(Path.Combine(_dir, Name + ".meta.txt"), meta ??
            $"frames={frames} height=12 width=16 dtype=int16-le centi-degC t0=2025-07-08T18:58:57.864 label_file=blink_offsets_abc_indoor_normal_20250708_185855_036.csv");
    }

    [Fact]
    public void Read_WellFormed_ParsesFramesClocksAndLabels()
    {
        Write();
        var r = Assert.Single(ThermalEyeFolder.ReadAll(_dir));
        Assert.Equal(("normal", "abc"), (r.Group, r.Subject));
        Assert.Equal(3, r.Frames.Count);
        Assert.Equal(34.56f, r.Frames[2][191], 3);
        Assert.Equal(128, r.TimestampsMs[2]);
        Assert.Equal(new BlinkEvent(100, 300), Assert.Single(r.Labels!));
        Assert.Equal(484, LabelAlignment.NameClockRule(r), 3);
        Assert.Equal(-2828, LabelAlignment.FirstFrameRule(r), 3);
    }

    [Fact]
    public void Read_WrongFileLength_NamesTheFile()
    {
        Write(bytes: 3 * 384 - 2);
        var e = Assert.Throws<InvalidDataException>(() => ThermalEyeFolder.ReadAll(_dir));
        Assert.Contains(Name + ".i16", e.Message);
        Assert.Contains("bytes", e.Message);
    }

    [Fact]
    public void Read_NaNInLabels_NamesTheFile()
    {
        Write(blinks: "start_ms,end_ms\n100,NaN\n");
        var e = Assert.Throws<InvalidDataException>(() => ThermalEyeFolder.ReadAll(_dir));
        Assert.Contains(Name + ".blinks.csv", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Theory]
    [InlineData("frame;timestamp_ms\n0;0\n1;64\n2;128\n")]
    [InlineData("frame,timestamp_ms\n0,0\n1,abc\n2,128\n")]
    [InlineData("frame,timestamp_ms\n0,0\n1,64\n")]
    [InlineData("frame,timestamp_ms\n0,0\n1,64\n2,10\n")]
    public void Read_BadFramesCsv_NamesTheFile(string times)
    {
        Write(times: times);
        var e = Assert.Throws<InvalidDataException>(() => ThermalEyeFolder.ReadAll(_dir));
        Assert.Contains(Name + ".frames.csv", e.Message);
    }

    [Fact]
    public void Read_MetaWithoutWidth_NamesTheFile()
    {
        Write(meta: "frames=3 height=12");
        var e = Assert.Throws<InvalidDataException>(() => ThermalEyeFolder.ReadAll(_dir));
        Assert.Contains(Name + ".meta.txt", e.Message);
    }

    [Fact]
    public void Read_NoLabelFile_LabelsNull()
    {
        Write(blinks: null);
        Assert.Null(Assert.Single(ThermalEyeFolder.ReadAll(_dir)).Labels);
    }

    [Fact]
    public void BlinkCsv_Write_OneRowPerBlink()
    {
        var path = Path.Combine(_dir, "out", "blinks.csv");
        BlinkCsv.Write(path, [("rec1", [new BlinkEvent(100.4, 350.6)]), ("rec2", [])]);
        Assert.Equal(["recording,start_ms,end_ms", "rec1,100,351"], File.ReadAllLines(path));
    }
}
