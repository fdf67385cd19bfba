namespace Vigil.BoneAge.Training;

/// <summary>One image's bone-age estimate with its interval, or the reason it was withheld.</summary>
/// <param name="Image">The image path.</param>
/// <param name="Male">Sex.</param>
/// <param name="Reported">The reported (label) bone age in months; NaN when unknown.</param>
/// <param name="Months">The estimate (mean over members and test-time mirror).</param>
/// <param name="Low">Lower end of the 90 % interval.</param>
/// <param name="High">Upper end of the 90 % interval.</param>
/// <param name="Spread">Standard deviation over ensemble members and mirror, months.</param>
/// <param name="Withheld">Why the estimate must not be shown; null when it may.</param>
public sealed record BoneAgePrediction(string Image, bool Male, double Reported, double Months, double Low, double High, double Spread, string? Withheld);
