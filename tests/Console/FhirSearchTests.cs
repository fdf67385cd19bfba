using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Vigil.Ppg;
using Vigil.WardConsole.Fhir;
using Task = System.Threading.Tasks.Task;

namespace Vigil.WardConsole.Tests;

public sealed class FhirSearchTests
{
    private static readonly JsonSerializerOptions Fhir = new JsonSerializerOptions().ForFhir();

    [Fact]
    public async Task Observation_search_by_patient_and_date_round_trips_through_Firely()
    {
        await using var f = await ConsoleFixture.StartAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        f.Ward.Admit("bed-01", start);
        f.Ward.Admit("bed-02", start);
        f.Ward.Record(ConsoleFixture.Result("bed-01", 0, 72.4));
        f.Ward.Record(ConsoleFixture.Result("bed-01", 1, 0, PpgStatus.Withheld));
        f.Ward.Record(ConsoleFixture.Result("bed-02", 0, 90));
        f.Ward.Raise(AccessControlTests.Alert("a-9", "bed-01"));

        var client = f.Client(ConsoleFixture.ViewerKey);
        var json = await client.GetStringAsync($"/fhir/Observation?patient=bed-01&date=ge{start.AddSeconds(-1):yyyy-MM-ddTHH:mm:ssZ}");
        var bundle = JsonSerializer.Deserialize<Bundle>(json, Fhir)!;
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        var obs = bundle.Entry.Select(e => (Observation)e.Resource!).ToList();
        Assert.Equal(3, obs.Count); // two heart-rate windows and the alert; nothing of bed-02
        Assert.All(obs, o => Assert.Equal("bed-01", o.Subject!.Identifier!.Value));
        var hr = obs.Where(o => o.Code!.Coding[0].Code == "8867-4").ToList();
        Assert.Equal(72.4m, ((Quantity)hr[0].Value!).Value);
        Assert.Null(hr[1].Value);
        Assert.NotNull(hr[1].DataAbsentReason);
        Assert.Contains(obs, o => o.Code!.Coding[0].System == ObservationSearch.AlertSystem && o.Note.Any(n => n.Text!.Contains("150 bpm")));

        // A date bound after every window leaves only what is later (the alert was raised now).
        var later = JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync($"/fhir/Observation?patient=bed-01&code=8867-4&date=gt{DateTimeOffset.UtcNow.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}"), Fhir)!;
        Assert.Empty(later.Entry);
        var onlyHr = JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/Observation?subject=Patient/bed-02&code=http://loinc.org|8867-4"), Fhir)!;
        Assert.Single(onlyHr.Entry);
    }

    [Theory]
    [InlineData("/fhir/Observation?date=yesterday", "date 'yesterday'")]
    [InlineData("/fhir/Observation?patient=bed-01&colour=red", "unknown search parameter 'colour'")]
    [InlineData("/fhir/Observation?_count=-3", "_count")]
    [InlineData("/fhir/Observation?code=http://loinc.org|", "no code")]
    public async Task Malformed_search_gives_400_with_an_OperationOutcome(string url, string expected)
    {
        await using var f = await ConsoleFixture.StartAsync();
        var response = await f.Client(ConsoleFixture.ViewerKey).GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        var outcome = JsonSerializer.Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync(), Fhir)!;
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Contains(expected, issue.Diagnostics);
    }

    [Theory]
    [InlineData("ge2026-12-05", "2026-12-05T00:00:00Z", true)]
    [InlineData("lt2026-12-05", "2026-12-05T00:00:00Z", false)]
    [InlineData("2026-12", "2026-12-31T23:59:59Z", true)]
    [InlineData("2026-12-05T10:00:00Z", "2026-12-05T10:00:00.5Z", true)]
    [InlineData("gt2026-12-05T10:00:00Z", "2026-12-05T10:00:00.5Z", false)]
    public void Date_bounds_follow_the_precision_of_the_value(string value, string instant, bool matches) =>
        Assert.Equal(matches, DateBound.Parse(value).Matches(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
}
