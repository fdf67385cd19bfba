namespace Vigil.WardConsole.Security;

/// <summary>The holder of the key a request presented.</summary>
/// <param name="Name">Key holder, as configured.</param>
/// <param name="Role">The key's role.</param>
public sealed record WardPrincipal(string Name, WardRole Role);
