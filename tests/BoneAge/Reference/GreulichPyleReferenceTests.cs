using Vigil.Imaging;
using Vigil.BoneAge.Reference;

namespace Vigil.BoneAge.Tests.Reference;

public sealed class GreulichPyleReferenceTests
{
    [Theory]
    [InlineData(PatientSex.Male, 120, 9.79)]
    [InlineData(PatientSex.Female, 120, 11.73)]
    [InlineData(PatientSex.Male, 3, 0.69)]
    [InlineData(PatientSex.Female, 192, 7.31)]
    public void StandardDeviation_TabulatedAge_ReturnsTableValue(PatientSex sex, double age, double sd) =>
        Assert.Equal(sd, GreulichPyleReference.StandardDeviation(sex, age).Sd!.Value, 9);

    [Fact]
    public void StandardDeviation_BetweenAges_InterpolatesLinearly()
    {
        // Boys 60 months: 8.79, 72 months: 9.17; 66 months is half way.
        Assert.Equal((8.79 + 9.17) / 2, GreulichPyleReference.StandardDeviation(PatientSex.Male, 66).Sd!.Value, 9);
    }

    [Theory]
    [InlineData(PatientSex.Unknown, 100, "sex unknown")]
    [InlineData(PatientSex.Female, 200, "outside the Greulich & Pyle SD table for girls")]
    [InlineData(PatientSex.Male, 1, "outside")]
    public void StandardDeviation_NotCovered_WithheldWithReason(PatientSex sex, double age, string reason)
    {
        var (sd, why) = GreulichPyleReference.StandardDeviation(sex, age);
        Assert.Null(sd);
        Assert.Contains(reason, why);
    }

    [Fact]
    public void Assess_AdvancedBeyondTwoSd_FlagsAdvanced()
    {
        // Girl aged 120 months (SD 11.73) with bone age 150: z = 30 / 11.73 = 2.558.
        var a = BoneAgeAssessment.Assess(150, PatientSex.Female, 120);
        Assert.Equal(30, a.DifferenceMonths);
        Assert.Equal(30 / 11.73, a.ZScore!.Value, 9);
        Assert.Equal("advanced", a.Flag);
    }

    [Fact]
    public void Assess_DelayedAndWithin_FlagAccordingly()
    {
        Assert.Equal("delayed", BoneAgeAssessment.Assess(90, PatientSex.Male, 120).Flag);
        Assert.Equal("", BoneAgeAssessment.Assess(125, PatientSex.Male, 120).Flag);
    }

    [Fact]
    public void Assess_UnknownSex_WithholdsZScore()
    {
        var a = BoneAgeAssessment.Assess(125, PatientSex.Unknown, 120);
        Assert.Null(a.ZScore);
        Assert.Null(a.Flag);
        Assert.NotNull(a.ZScoreWithheldReason);
    }
}
