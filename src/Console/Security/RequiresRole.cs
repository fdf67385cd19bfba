namespace Vigil.WardConsole.Security;

/// <summary>Endpoint metadata: the least role a key needs for the route (Viewer when absent).</summary>
/// <param name="Role">The least role.</param>
public sealed record RequiresRole(WardRole Role);
