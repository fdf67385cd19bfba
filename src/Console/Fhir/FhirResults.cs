using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;

namespace Vigil.WardConsole.Fhir;

/// <summary>FHIR resources as HTTP results: the Firely SDK's JSON, <c>application/fhir+json</c>.</summary>
internal static class FhirResults
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    public static IResult Of(Resource resource, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonSerializer.Serialize(resource, resource.GetType(), Json), "application/fhir+json; charset=utf-8", statusCode: status);

    public static IResult NotFound(string message) => Of(ObservationSearch.Outcome(message, OperationOutcome.IssueType.NotFound), StatusCodes.Status404NotFound);

    public static IResult BadRequest(string message) => Of(ObservationSearch.Outcome(message), StatusCodes.Status400BadRequest);
}
