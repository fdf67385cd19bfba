namespace Vigil.Infrared.Training.ActionUnits;

/// <summary>Agreement of one action unit between the teacher (visible image) and a student (thermal image) over the evaluation pairs.</summary>
/// <param name="Au">The action unit.</param>
/// <param name="Mae">Mean absolute difference of intensities.</param>
/// <param name="Pearson">Pearson correlation; NaN when either side does not vary.</param>
/// <param name="TeacherMean">Mean teacher intensity.</param>
/// <param name="TeacherStd">Standard deviation of the teacher intensity (how much there is to agree on).</param>
public sealed record AuAgreement(string Au, double Mae, double Pearson, double TeacherMean, double TeacherStd)
{
    /// <summary>Agreement per AU of <paramref name="student"/> with <paramref name="teacher"/> (rows = pairs, columns = AUs).</summary>
    public static IReadOnlyList<AuAgreement> Measure(IReadOnlyList<string> aus, IReadOnlyList<float[]> teacher, IReadOnlyList<float[]> student)
    {
        ArgumentNullException.ThrowIfNull(aus);
        if (teacher.Count != student.Count || teacher.Count == 0)
            throw new ArgumentException($"needs the same, non-zero number of teacher and student rows ({teacher.Count} and {student.Count}).");
        var result = new List<AuAgreement>();
        for (var k = 0; k < aus.Count; k++)
        {
            var t = teacher.Select(r => (double)r[k]).ToArray();
            var s = student.Select(r => (double)r[k]).ToArray();
            result.Add(new AuAgreement(aus[k], t.Zip(s, (a, b) => Math.Abs(a - b)).Average(), Correlation(t, s), t.Average(), Std(t)));
        }
        return result;
    }

    /// <summary>Pearson correlation of two equally long series; NaN when either is constant.</summary>
    public static double Correlation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ma = a.Average();
        var mb = b.Average();
        double num = 0, da = 0, db = 0;
        for (var i = 0; i < a.Count; i++)
        {
            num += (a[i] - ma) * (b[i] - mb);
            da += (a[i] - ma) * (a[i] - ma);
            db += (b[i] - mb) * (b[i] - mb);
        }
        return da < 1e-12 || db < 1e-12 ? double.NaN : num / Math.Sqrt(da * db);
    }

    private static double Std(double[] v)
    {
        var m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
    }
}
