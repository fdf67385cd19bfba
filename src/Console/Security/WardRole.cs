namespace Vigil.WardConsole.Security;

/// <summary>What a key may do; each role includes the ones below it.</summary>
public enum WardRole
{
    /// <summary>Reads patients, results, alerts, reports and models.</summary>
    Viewer = 1,
    /// <summary>A viewer who may also acknowledge alerts.</summary>
    Clinician = 2,
    /// <summary>A clinician who may also read the audit log and cluster state.</summary>
    Admin = 3,
}
