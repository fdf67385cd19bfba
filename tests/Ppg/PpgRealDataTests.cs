using Vigil.Ppg;
using Vigil.Ppg.Evaluation;
using Vigil.Tests.Common;

namespace Vigil.Ppg.Tests;

public sealed class PpgRealDataTests
{
    [Fact]
    public async Task Evaluate_Spc2015Train_MeanMaeWithinFloor()
    {
        var dir = SharedData.Require("data/ppg/spc2015-train");
        var evaluation = await PpgEvaluator.EvaluateDirectoryAsync(dir, (rec, ct) => PpgPipelineRunner.RunRecordingAsync(rec, cancellationToken: ct));
        Assert.Equal(12, evaluation.Recordings.Count);
        var table = string.Join("; ", evaluation.Recordings.Select(r => $"{r.Name} {r.MaeBpm:0.00}"));
        Assert.True(evaluation.MeanMaeBpm <= 1.5, $"mean MAE {evaluation.MeanMaeBpm:0.000} BPM > 1.5 floor ({table})");
        // Statuses mean something: ok windows are more accurate than all windows.
        var okMae = evaluation.Recordings.Where(r => r.MaeOkBpm is not null).Average(r => r.MaeOkBpm!.Value);
        Assert.True(okMae < evaluation.MeanMaeBpm, $"ok-only MAE {okMae:0.00} not below all-window MAE");
        Assert.All(evaluation.Recordings, r => Assert.Equal(r.Windows, r.Scored.Count));
    }
}
