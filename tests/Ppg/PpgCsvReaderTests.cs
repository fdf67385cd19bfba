using Vigil.Ppg;
using Vigil.Ppg.Data;

namespace Vigil.Ppg.Tests;

public sealed class PpgCsvReaderTests
{
    [Fact]
    public void Parse_ValidFile_DerivesRateAndChannels()
    {
        var rec = TestSignals.Parse(TestSignals.Csv(500, fs: 50));
        Assert.Equal(50, rec.SampleRateHz, 6);
        Assert.Equal(2, rec.Ppg.Length);
        Assert.Equal(500, rec.Count);
    }

    [Fact]
    public void Parse_ThreeChannelsAnyColumnOrder_ReadsAll()
    {
        var csv = "acc_x,acc_y,acc_z,t_s,ppg3,ppg1,ppg2\n" + string.Join('\n',
            Enumerable.Range(0, 100).Select(i => $"0,0,1,{i * 0.04:0.00},{i},{2 * i},{3 * i}"));
        var rec = TestSignals.Parse(csv);
        Assert.Equal(3, rec.Ppg.Length);
        Assert.Equal(2 * 7, rec.Ppg[0][7]);
        Assert.Equal(7, rec.Ppg[2][7]);
        Assert.Equal(25, rec.SampleRateHz, 6);
    }

    [Fact]
    public void Parse_GyroscopeColumns_ReadAsThreeAxes()
    {
        var csv = "t_s,ppg1,acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z\n" + string.Join('\n',
            Enumerable.Range(0, 64).Select(i => $"{i / 32.0:0.######},{i},0,0,1,{i},{-i},{2 * i}"));
        var rec = TestSignals.Parse(csv);
        Assert.True(rec.HasGyroscope);
        Assert.Equal(1, rec.PpgChannels);
        Assert.Equal(-5, rec.Gyro![1][5]);
        Assert.Equal(32, rec.SampleRateHz, 6);
        Assert.True(rec.Slice("p", 0, 10).HasGyroscope);
    }

    [Fact]
    public void Parse_PartialGyroscope_NamesTheMissingAxes()
    {
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse("t_s,ppg1,acc_x,acc_y,acc_z,gyro_x\n0,1,0,0,1,0\n0.01,1,0,0,1,0\n", "g"));
        Assert.Contains("g.csv: line 1", e.Message);
        Assert.Contains("gyro_y", e.Message);
    }

    [Fact]
    public void Parse_MissingColumn_NamesFileLineAndColumn()
    {
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse("t_s,ppg1,ppg2,acc_x,acc_y\n0,1,2,3,4\n", "rec"));
        Assert.Contains("rec.csv: line 1", e.Message);
        Assert.Contains("acc_z", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Parse_NonFiniteValue_NamesLineAndColumn(string bad)
    {
        var csv = TestSignals.Csv(200, row: i => i == 41 ? $"{i / 125.0:0.######},{bad},0,0,0,1" : $"{i / 125.0:0.######},1,0,0,0,1");
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(csv));
        Assert.Contains("line 43", e.Message);
        Assert.Contains("'ppg1'", e.Message);
    }

    [Fact]
    public void Parse_NotANumber_NamesLine()
    {
        var csv = TestSignals.Csv(50, row: i => i == 9 ? "0.072,abc,0,0,0,1" : $"{i / 125.0:0.######},1,0,0,0,1");
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(csv));
        Assert.Contains("line 11", e.Message);
        Assert.Contains("'abc' is not a number", e.Message);
    }

    [Fact]
    public void Parse_DuplicatedTimestamp_NamesLine()
    {
        var csv = TestSignals.Csv(50, row: i => $"{(i == 20 ? 19 : i) / 125.0:0.######},1,0,0,0,1");
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(csv));
        Assert.Contains("line 22", e.Message);
        Assert.Contains("duplicates", e.Message);
    }

    [Fact]
    public void Parse_TimestampGoingBack_NamesLine()
    {
        var csv = TestSignals.Csv(50, row: i => $"{(i == 30 ? 3 : i) / 125.0:0.######},1,0,0,0,1");
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(csv));
        Assert.Contains("line 32", e.Message);
        Assert.Contains("goes back", e.Message);
    }

    [Theory]
    [InlineData(2.0)]      // t_s in some other unit: 2 Hz
    [InlineData(8000.0)]   // audio-rate nonsense
    public void Parse_AbsurdSamplingRate_Throws(double fs)
    {
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(TestSignals.Csv(50, fs)));
        Assert.Contains("sampling rate", e.Message);
    }

    [Fact]
    public void Parse_ShortRow_NamesLine()
    {
        var csv = TestSignals.Csv(20, row: i => i == 5 ? "0.04,1,2" : $"{i / 125.0:0.######},1,0,0,0,1");
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(csv));
        Assert.Contains("line 7", e.Message);
        Assert.Contains("expected 6 fields", e.Message);
    }

    [Fact]
    public void Parse_Empty_SaysSo()
    {
        var e = Assert.Throws<PpgInputException>(() => TestSignals.Parse(""));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void ReadReference_BadValue_NamesFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ppg-ref-{Guid.NewGuid():N}.bpm.csv");
        File.WriteAllText(path, "window_start_s,window_end_s,bpm\n0,8,70\n2,10,x\n");
        try
        {
            var e = Assert.Throws<PpgInputException>(() => ReferenceHeartRate.Read(path));
            Assert.Contains("line 3", e.Message);
        }
        finally { File.Delete(path); }
    }
}
