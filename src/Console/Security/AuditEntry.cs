namespace Vigil.WardConsole.Security;

/// <summary>One audit record: who did what to which resource, and the outcome.</summary>
/// <param name="Time">When (UTC).</param>
/// <param name="Actor">Key holder, or <c>anonymous</c> for refused requests without a valid key.</param>
/// <param name="Role">The key's role, or empty.</param>
/// <param name="Action">What was done (<c>read</c>, <c>acknowledge</c>, <c>denied</c>, ...).</param>
/// <param name="Resource">The route and its subject (e.g. <c>/api/patients/bed-03/heart-rate</c>).</param>
/// <param name="Status">HTTP status returned.</param>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Role, string Action, string Resource, int Status);
