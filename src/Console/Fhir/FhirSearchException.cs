namespace Vigil.WardConsole.Fhir;

/// <summary>A FHIR search the console cannot run; the message names the parameter and what is wrong (400 + OperationOutcome).</summary>
public sealed class FhirSearchException(string message) : Exception(message);
