namespace Vigil.WardConsole.Storage;

/// <summary>
/// One kept result as the store holds it: whose, what kind (<c>hr</c> for a heart-rate window; other
/// feeds choose their own), when it ended, and the result itself as JSON. New result kinds need no
/// new table: a feed appends its rows and reloads them by kind.
/// </summary>
/// <param name="PatientId">Whose result.</param>
/// <param name="Kind">Result kind (e.g. <c>hr</c>).</param>
/// <param name="Time">When the result's window ended (UTC).</param>
/// <param name="Payload">The result as JSON.</param>
public sealed record StoredResult(string PatientId, string Kind, DateTimeOffset Time, string Payload);
