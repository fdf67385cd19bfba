using System.Text.Json;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Storage;

/// <summary>An alert as stored: the columns a query needs, and the whole alert as JSON (taken when it was enqueued).</summary>
internal sealed record AlertRow(string Id, string PatientId, string Kind, DateTimeOffset Raised, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string Payload)
{
    public static AlertRow Of(WardAlert a) =>
        new(a.Id, a.PatientId, a.Kind, a.Raised, a.AcknowledgedBy, a.AcknowledgedAt, JsonSerializer.Serialize(a, StoreJson.Options));

    public static WardAlert Read(string payload) =>
        JsonSerializer.Deserialize<WardAlert>(payload, StoreJson.Options) ?? throw new InvalidDataException("a stored alert is empty");
}
