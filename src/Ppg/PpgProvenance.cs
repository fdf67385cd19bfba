using System.Security.Cryptography;
using System.Text;
using Vigil.Ppg.Tracking;

namespace Vigil.Ppg;

/// <summary>Identity of the heart-rate method, carried by every result.</summary>
public static class PpgProvenance
{
    /// <summary>Tracker name and version.</summary>
    public const string TrackerId = "vigil.ppg.wiener-hmm/2.1";

    /// <summary>First 12 hex digits of the SHA-256 of the options and tracker constants.</summary>
    public static string ConfigurationHash(PpgTrackerOptions options)
    {
        var text = options.ToString() + SpectralTrackerTuning.Default.ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
