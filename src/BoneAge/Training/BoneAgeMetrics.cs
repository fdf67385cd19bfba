namespace Vigil.BoneAge.Training;

/// <summary>Agreement of estimates with reported bone ages: the figures <c>vigil boneage eval</c> reports.</summary>
public sealed record BoneAgeMetrics
{
    /// <summary>Images counted (withheld ones excluded).</summary>
    public int Count { get; init; }
    /// <summary>Mean absolute difference, months.</summary>
    public double Mad { get; init; }
    /// <summary>Root mean square difference, months.</summary>
    public double Rmse { get; init; }
    /// <summary>Mean of estimate minus reported, months.</summary>
    public double Bias { get; init; }
    /// <summary>Share of images within 12 months of the reported age.</summary>
    public double Within12 { get; init; }
    /// <summary>MAD for male and female images.</summary>
    public IReadOnlyDictionary<string, double> MadBySex { get; init; } = new Dictionary<string, double>();
    /// <summary>MAD (and count) by age band of the reported age.</summary>
    public IReadOnlyList<AgeBandMetrics> MadByAgeBand { get; init; } = [];
    /// <summary>Images withheld (not counted above).</summary>
    public int Withheld { get; init; }

    /// <summary>Computes the figures over the predictions that were not withheld and have a reported age.</summary>
    public static BoneAgeMetrics Compute(IReadOnlyList<BoneAgePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var p = predictions.Where(x => x.Withheld is null && !double.IsNaN(x.Reported)).ToList();
        static double Mad(IEnumerable<BoneAgePrediction> s) { var l = s.ToList(); return l.Count == 0 ? double.NaN : l.Average(x => Math.Abs(x.Months - x.Reported)); }
        (string Name, double Low, double High)[] bands = [("0-5 y", 0, 60), ("5-10 y", 60, 120), ("10-15 y", 120, 180), ("15+ y", 180, 1000)];
        return new BoneAgeMetrics
        {
            Count = p.Count,
            Mad = Mad(p),
            Rmse = p.Count == 0 ? double.NaN : Math.Sqrt(p.Average(x => (x.Months - x.Reported) * (x.Months - x.Reported))),
            Bias = p.Count == 0 ? double.NaN : p.Average(x => x.Months - x.Reported),
            Within12 = p.Count == 0 ? double.NaN : p.Count(x => Math.Abs(x.Months - x.Reported) <= 12) / (double)p.Count,
            MadBySex = new Dictionary<string, double> { ["male"] = Mad(p.Where(x => x.Male)), ["female"] = Mad(p.Where(x => !x.Male)) },
            MadByAgeBand = bands.Select(b => new AgeBandMetrics(b.Name, p.Count(x => x.Reported >= b.Low && x.Reported < b.High),
                Mad(p.Where(x => x.Reported >= b.Low && x.Reported < b.High)))).ToList(),
            Withheld = predictions.Count(x => x.Withheld is not null),
        };
    }
}

/// <summary>MAD within one band of reported age.</summary>
/// <param name="Band">The band, e.g. <c>5-10 y</c>.</param>
/// <param name="Count">Images in the band.</param>
/// <param name="Mad">Mean absolute difference, months.</param>
public sealed record AgeBandMetrics(string Band, int Count, double Mad);
