using System.Globalization;
using System.Text;
using Vigil.Ppg;
using Vigil.Ppg.Data;
using Vigil.Ppg.Demo;

namespace Vigil.Ppg.Tests;

/// <summary>Helpers building recordings and CSV text for tests.</summary>
internal static class TestSignals
{
    public static PpgRecording Parse(string csv, string name = "test") =>
        PpgCsvReader.Parse(new StringReader(csv), name + ".csv", name, name);

    /// <summary>CSV text of <paramref name="rows"/> samples at <paramref name="fs"/> with a 90 BPM pulse.</summary>
    public static string Csv(int rows, double fs = 125, Func<int, string>? row = null)
    {
        var sb = new StringBuilder("t_s,ppg1,ppg2,acc_x,acc_y,acc_z\n");
        for (var i = 0; i < rows; i++)
            sb.Append(row?.Invoke(i) ?? string.Create(CultureInfo.InvariantCulture,
                $"{i / fs:0.######},{Math.Sin(2 * Math.PI * 1.5 * i / fs):0.####},{Math.Sin(2 * Math.PI * 1.5 * i / fs):0.####},0.01,-0.98,0.1")).Append('\n');
        return sb.ToString();
    }

    /// <summary>Runs a recording straight through one tracker.</summary>
    public static List<PpgWindowResult> Run(PpgRecording rec) => Evaluation.PpgEvaluator.RunDirect(rec).ToList();

    public static SyntheticRecording Synthetic(double seconds = 120, double fs = 125, int seed = 3, double artefact = 1.0, int channels = 2) =>
        SyntheticPpg.Generate(seconds, fs, seed, artefact, channels);

    /// <summary>Copy of a recording with its PPG replaced sample by sample.</summary>
    public static PpgRecording MapPpg(PpgRecording r, Func<int, int, float, float> map)
    {
        var ppg = r.Ppg.Select((ch, c) => ch.Select((v, i) => map(c, i, v)).ToArray()).ToArray();
        return new PpgRecording(r.Name, r.Identity, r.SampleRateHz, r.TimeSeconds, ppg, r.AccX, r.AccY, r.AccZ);
    }
}
