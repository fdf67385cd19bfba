using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Tests.Common;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Tests.Fixtures;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Tests;

/// <summary>
/// The issue's must-show, in Debian's chromium driven by Playwright: a simulated ward of 20 patients
/// on a real Kestrel port; each new heart rate on screen within 2 s of its window closing; an alert
/// with its evidence; acknowledging it is audited; a viewer key cannot acknowledge. Screenshots go to
/// <c>.build/console-screenshots/</c> (copied to docs/ by hand).
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Ward_of_20_live_heart_rates_alert_with_evidence_and_audited_acknowledgement()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: run scripts/setup (installs Debian's chromium; playwright install cannot download browsers here)");
        var dir = Path.Combine(Path.GetTempPath(), "vigil-console-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        // A low threshold makes the demonstration rule fire within the first windows.
        var app = ConsoleApp.Create(o =>
        {
            o.Port = 0;
            o.WardSimulation = 20;
            o.TachycardiaBpm = 60;
            o.AuditDatabase = Path.Combine(dir, "audit.db");
            o.ApiKeys =
            [
                new ApiKeyEntry { Name = "ward-screen", Role = WardRole.Viewer, Sha256 = ApiKeyStore.Hash(ConsoleFixture.ViewerKey) },
                new ApiKeyEntry { Name = "nurse-a", Role = WardRole.Clinician, Sha256 = ApiKeyStore.Hash(ConsoleFixture.ClinicianKey) },
            ];
        });
        await app.StartAsync();
        try
        {
            var url = app.Urls.First();
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await page.GotoAsync(url);
            await page.FillAsync("#key", ConsoleFixture.ClinicianKey);
            await page.ClickAsync("#login button");

            // Every patient shows live rates; each window arriving over the stream is on screen within 2 s of closing.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.patient').length === 20", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => window.vigil.live.length >= 60", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            var lags = JsonSerializer.Deserialize<double[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.vigil.live.map(x => x.lagMs))"))!;
            var patients = await page.EvaluateAsync<int>("() => new Set(window.vigil.live.map(x => x.patient)).size");
            Assert.Equal(20, patients);
            // Negative would mean the console's wall-clock axis runs ahead of the samples.
            Assert.True(lags.Min() > -100, $"a window was shown {-lags.Min():0} ms before its end: the wall-clock axis is wrong");
            Assert.True(lags.Max() < 2000, $"a heart rate reached the screen {lags.Max():0} ms after its window closed (limit 2000 ms)");

            // An alert appears with its evidence.
            await page.WaitForSelectorAsync("#alerts li.open .evidence li", new PageWaitForSelectorOptions { Timeout = 60_000 });
            var first = page.Locator("#alerts li.open").First;
            var alertId = await first.GetAttributeAsync("data-alert");
            Assert.True(await first.Locator(".evidence li").CountAsync() >= 3);
            Assert.Contains("NOT FOR CLINICAL USE", await first.Locator(".aprov").InnerTextAsync());
            Directory.CreateDirectory(ShotDir());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotDir(), "console-dashboard.png") });

            // Acknowledging is audited.
            await first.Locator("button.ack").ClickAsync();
            await page.WaitForSelectorAsync($"#alerts li.acknowledged[data-alert='{alertId}']");
            var audit = await app.Services.GetRequiredService<AuditLog>().ReadAsync();
            Assert.Contains(audit, e => e.Action == "acknowledge" && e.Actor == "nurse-a" && e.Resource == $"/api/alerts/{alertId}/ack");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotDir(), "console-acknowledged.png") });

            // A viewer cannot acknowledge.
            var viewer = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await viewer.GotoAsync(url);
            await viewer.FillAsync("#key", ConsoleFixture.ViewerKey);
            await viewer.ClickAsync("#login button");
            await viewer.WaitForSelectorAsync("#alerts li.open button.ack", new PageWaitForSelectorOptions { Timeout = 30_000 });
            var open = viewer.Locator("#alerts li.open").First;
            var openId = await open.GetAttributeAsync("data-alert");
            await open.Locator("button.ack").ClickAsync();
            await viewer.WaitForFunctionAsync("() => document.getElementById('error').textContent.includes('403')");
            Assert.Null(app.Services.GetRequiredService<WardState>().Alert(openId!)!.AcknowledgedBy);
            await viewer.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ShotDir(), "console-viewer-403.png") });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dashboard_shows_breathing_and_activity_traces_video_timeline_and_bone_age_radiograph()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: run scripts/setup (installs Debian's chromium; playwright install cannot download browsers here)");
        var radiograph = SharedData.Require("assets/radiographs/rsna_2182.png");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(radiograph)));
        var dir = Path.Combine(Path.GetTempPath(), "vigil-console-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        ModalityInputs.WriteVideoRun(Path.Combine(dir, "video"), "ward3-cam1");
        var report = ModalityInputs.WriteReport(dir,
            ModalityInputs.Scored(radiograph, sha, 74.6, 63.1, 86.0),
            ModalityInputs.Scored("missing-hand.png", new string('1', 64), 100, 90, 110));
        var app = ConsoleApp.Create(o =>
        {
            o.Port = 0;
            o.WardSimulation = 3;
            o.ThermalBeds = 3;
            o.BoneAgeReports = report;
            o.VideoResults = Path.Combine(dir, "video");
            o.AuditDatabase = Path.Combine(dir, "audit.db");
            o.ApiKeys = [new ApiKeyEntry { Name = "ward-screen", Role = WardRole.Viewer, Sha256 = ApiKeyStore.Hash(ConsoleFixture.ViewerKey) }];
        });
        await app.StartAsync();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1100 } });
            await page.GotoAsync(app.Urls.First());
            await page.FillAsync("#key", ConsoleFixture.ViewerKey);
            await page.ClickAsync("#login button");

            // Breathing: the simulated beds' thermal windows (real Infrared chain) drawn with rates; AU samples and blinks on the activity trace.
            var bed1 = page.Locator(".patient[data-patient='bed-01']");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.patient canvas.rr-trace')].filter(c => +c.dataset.shown >= 2).length === 3", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.patient canvas.au-trace')].every(c => +c.dataset.samples >= 10 && +c.dataset.blinks >= 1)", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            var rr = await bed1.Locator("[data-role=rr]").InnerTextAsync();
            Assert.Matches(@"^\d+\.\d /min$|^withheld: .+", rr);
            Assert.True(await page.EvaluateAsync<int>("() => window.vigil.rr") >= 12);

            // Video: three segments on the timeline, the first one's heat-map strip shown; a click on another shows its strip.
            var run = page.Locator("#video .run[data-run='ward3-cam1']");
            await run.Locator("canvas.timeline[data-segments='3']").WaitForAsync();
            await page.WaitForFunctionAsync("() => { const i = document.querySelector('#video img.heat'); return i && i.dataset.name === 'segment-01-walk.png' && i.naturalWidth > 0; }");
            Assert.Contains("NOT FOR CLINICAL USE", await run.Locator(".vprov").InnerTextAsync());
            var box = (await run.Locator("canvas.timeline").BoundingBoxAsync())!;
            // "fall" is the third label row, 9-10.5 s of a 10.71 s axis starting 70/900 of the width in.
            var canvasWidth = 900.0;
            var xFall = (70 + 9.75 / (10.5 * 1.02) * (canvasWidth - 78)) / canvasWidth * box.Width;
            var yFall = (4 + 2 * 22 + 11) / (4 + 3 * 22 + 20.0) * box.Height;
            await page.Mouse.ClickAsync((float)(box.X + xFall), (float)(box.Y + yFall));
            await page.WaitForFunctionAsync("() => document.querySelector('#video img.heat').dataset.name === 'segment-03-fall.png'");
            Assert.Contains("segment 3: fall", await run.Locator(".caption").InnerTextAsync());

            // Bone age: the radiograph beside the estimate and its 90 % interval bar; a missing image gives the server's one line.
            var study = page.Locator($"#boneage li[data-study='{sha[..16]}']");
            await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector(\"#boneage li[data-study='{sha[..16]}'] img.radiograph\"); return i && i.naturalWidth > 0; }}");
            Assert.Equal("512", (await study.Locator("img.radiograph").EvaluateAsync<int>("i => i.naturalHeight")).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("63.1", await study.Locator("canvas.ba-bar").GetAttributeAsync("data-low"));
            Assert.Equal("86", await study.Locator("canvas.ba-bar").GetAttributeAsync("data-high"));
            Assert.Contains("90 % interval 63.1–86.0", await study.Locator(".ba-text").InnerTextAsync());
            var missing = page.Locator($"#boneage li[data-study='{new string('1', 16)}'] .ba-error");
            await page.WaitForFunctionAsync($"() => document.querySelector(\"#boneage li[data-study='{new string('1', 16)}'] .ba-error\").textContent.includes('404')");
            Assert.Contains("missing-hand.png", await missing.InnerTextAsync());

            Directory.CreateDirectory(ShotDir());
            await bed1.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(ShotDir(), "console-thermal.png") });
            await page.Locator("#video").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(ShotDir(), "console-video.png") });
            await page.Locator("#boneage").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(ShotDir(), "console-boneage.png") });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static string ShotDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Engine.sln"))) return Path.Combine(d.FullName, ".build", "console-screenshots");
        return Path.Combine(Path.GetTempPath(), "console-screenshots");
    }
}
