using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenCvSharp;
using Vigil.Tests.Common;
using Vigil.WardConsole.Fhir;
using Vigil.WardConsole.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace Vigil.WardConsole.Tests;

/// <summary>Bone-age studies: a DiagnosticReport per study (parsed back with Firely) and the radiograph view.</summary>
public sealed class BoneAgeStudyTests
{
    private static readonly JsonSerializerOptions Fhir = new JsonSerializerOptions().ForFhir();

    private static async Task<(ConsoleFixture Fixture, string Sha)> StartWithReportAsync()
    {
        var radiograph = SharedData.Require("assets/radiographs/rsna_2182.png");
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(radiograph)));
        string? dir = null;
        var f = await ConsoleFixture.StartAsync(o =>
        {
            dir = Path.Combine(Path.GetTempPath(), "vigil-console-boneage-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "corrupt.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5]);
            o.BoneAgeReports = ModalityInputs.WriteReport(dir,
                ModalityInputs.Scored(radiograph, sha, 74.6, 63.1, 86.0),
                ModalityInputs.Scored("missing-hand.png", new string('1', 64), 100, 90, 110),
                ModalityInputs.Scored("corrupt.png", new string('2', 64), 50, 40, 60),
                ModalityInputs.Failed("unreadable.dcm", "unreadable.dcm: not a recognised image (expected DICOM Part 10, PNG or JPEG)"));
        });
        return (f, sha);
    }

    [Fact]
    public async Task DiagnosticReport_per_study_points_at_a_resolvable_bone_age_Observation()
    {
        var (f, sha) = await StartWithReportAsync();
        await using var _ = f;
        var client = f.Client(ConsoleFixture.ViewerKey);
        var bundle = JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/DiagnosticReport?patient=rsna_2182"), Fhir)!;
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        var report = (DiagnosticReport)Assert.Single(bundle.Entry).Resource!;
        Assert.Equal("http://loinc.org", report.Code.Coding[0].System);
        Assert.Equal(BoneAgeDiagnosticReport.BoneAgeStudyLoinc, report.Code.Coding[0].Code);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        Assert.Equal("rsna_2182", report.Subject!.Identifier!.Value);
        Assert.NotNull(report.Issued);
        Assert.Contains("74.6 months", report.Conclusion);
        Assert.Contains("90 % interval 63.1–86 months", report.Conclusion);
        Assert.Contains("NOT FOR CLINICAL USE", report.Conclusion);
        Assert.Contains("boneage-resnet18 1.0 (sha256 " + new string('a', 64), report.Conclusion);
        Assert.Contains("5-fold CV MAD 9.8 months", report.Conclusion);

        // The result reference resolves to the bone-age Observation built by Vigil.BoneAge.
        var reference = Assert.Single(report.Result).Reference;
        Assert.Equal($"Observation/boneage-{sha[..16]}", reference);
        var obs = JsonSerializer.Deserialize<Observation>(await client.GetStringAsync("/fhir/" + reference), Fhir)!;
        Assert.Equal("85151-9", obs.Code.Coding[0].Code);
        Assert.Equal(74.6m, ((Quantity)obs.Value!).Value);
        Assert.Contains(obs.Component, c => c.Value is Hl7.Fhir.Model.Range r && r.Low!.Value == 63.1m && r.High!.Value == 86m);

        // Read by id; a failed study is cancelled with its reason.
        var byId = JsonSerializer.Deserialize<DiagnosticReport>(await client.GetStringAsync($"/fhir/DiagnosticReport/{report.Id}"), Fhir)!;
        Assert.Equal(report.Conclusion, byId.Conclusion);
        var all = JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/DiagnosticReport"), Fhir)!;
        Assert.Equal(4, all.Total);
        var failed = all.Entry.Select(e => (DiagnosticReport)e.Resource!).Single(r => r.Subject!.Identifier!.Value == "unreadable");
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Cancelled, failed.Status);
        Assert.Empty(failed.Result);
        Assert.Contains("not a recognised image", failed.Conclusion);
        // Studies carry no study date from report.csv, so a date bound matches none.
        Assert.Empty(JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/DiagnosticReport?date=ge2000-01-01"), Fhir)!.Entry);
        Assert.Single(JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/DiagnosticReport?_count=1"), Fhir)!.Entry);
    }

    [Theory]
    [InlineData("/fhir/DiagnosticReport?code=37362-1", HttpStatusCode.BadRequest, "unknown search parameter 'code'")]
    [InlineData("/fhir/DiagnosticReport?date=soon", HttpStatusCode.BadRequest, "date 'soon'")]
    [InlineData("/fhir/DiagnosticReport?_count=0", HttpStatusCode.BadRequest, "_count")]
    [InlineData("/fhir/DiagnosticReport/boneage-study-nope", HttpStatusCode.NotFound, "not found")]
    [InlineData("/fhir/Observation/nope", HttpStatusCode.NotFound, "not found")]
    public async Task Malformed_or_unknown_requests_get_an_OperationOutcome(string url, HttpStatusCode status, string expected)
    {
        var (f, _) = await StartWithReportAsync();
        await using var __ = f;
        var response = await f.Client(ConsoleFixture.ViewerKey).GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        var outcome = JsonSerializer.Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync(), Fhir)!;
        Assert.Contains(expected, Assert.Single(outcome.Issue).Diagnostics);
    }

    [Fact]
    public async Task Radiograph_is_served_windowed_and_downscaled_and_bad_images_get_one_line()
    {
        var (f, sha) = await StartWithReportAsync();
        await using var _ = f;
        var client = f.Client(ConsoleFixture.ViewerKey);
        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/boneage")).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToArray();
        Assert.Contains(sha[..16], listed);

        var response = await client.GetAsync($"/api/boneage/{sha[..16]}/image");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        using var png = Cv2.ImDecode(await response.Content.ReadAsByteArrayAsync(), ImreadModes.Unchanged);
        Assert.Equal(1, png.Channels());
        Assert.Equal(512, Math.Max(png.Width, png.Height)); // 1600×2080 source
        Assert.InRange(png.Width / (double)png.Height, 1600 / 2080.0 - 0.01, 1600 / 2080.0 + 0.01);
        Cv2.MinMaxLoc(png, out double min, out double max);
        Assert.True(min <= 5 && max >= 250, $"windowed to 8 bits spans {min}..{max}");
        var audit = await f.Audit.ReadAsync();
        Assert.Contains(audit, e => e.Action == "read" && e.Actor == "ward-screen" && e.Resource == $"/api/boneage/{sha[..16]}/image" && e.Status == 200);

        var missing = await client.GetAsync($"/api/boneage/{new string('1', 16)}/image");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var line = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains("missing-hand.png", line);
        Assert.Contains("not found", line);

        var corrupt = await client.GetAsync($"/api/boneage/{new string('2', 16)}/image");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, corrupt.StatusCode);
        var error = JsonDocument.Parse(await corrupt.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains("corrupt.png", error);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain(" at Vigil.", error);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/boneage/0000000000000000/image")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Client().GetAsync($"/api/boneage/{sha[..16]}/image")).StatusCode);
    }

    [Fact]
    public async Task Dicom_radiograph_is_windowed_with_its_VOI_window_and_MONOCHROME1_inverted()
    {
        // 64×40, 12 bits in 16: a third each at 500, 1500 and 3000, window centre 1500 width 1001 (999.5..1999.5).
        var values = Enumerable.Range(0, 64 * 40).Select(i => (i % 64) switch { < 21 => 500, < 43 => 1500, _ => 3000 });
        var dicom = new Vigil.Imaging.Tests.Dicom.DicomTestWriter().Image(64, 40, 16, 12, 11, signed: false, "MONOCHROME1", [])
            .String(Vigil.Imaging.Dicom.DicomTag.WindowCenter, "DS", "1500")
            .String(Vigil.Imaging.Dicom.DicomTag.WindowWidth, "DS", "1001")
            .PixelData(Vigil.Imaging.Tests.Dicom.DicomTestWriter.U16(values)).Build();
        await using var f = await ConsoleFixture.StartAsync(o =>
        {
            var dir = Path.Combine(Path.GetTempPath(), "vigil-console-dicom-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "hand.dcm"), dicom);
            o.BoneAgeReports = ModalityInputs.WriteReport(dir, ModalityInputs.Scored("hand.dcm", new string('3', 64), 80, 70, 90));
        });
        var bytes = await f.Client(ConsoleFixture.ViewerKey).GetByteArrayAsync($"/api/boneage/{new string('3', 16)}/image");
        using var png = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        Assert.Equal((64, 40), (png.Width, png.Height)); // smaller than 512 px: not enlarged
        Assert.Equal(255, png.At<byte>(20, 5));  // below the window, inverted: white
        Assert.InRange(png.At<byte>(20, 30), 120, 135); // the centre: mid grey
        Assert.Equal(0, png.At<byte>(20, 60));   // above the window, inverted: black
    }
}
