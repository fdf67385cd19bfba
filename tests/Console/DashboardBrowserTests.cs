using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Tests;

/// <summary>
/// The must-show, in Debian's chromium driven by Playwright: a simulated ward of 20 patients
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

    private static string ShotDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Engine.sln"))) return Path.Combine(d.FullName, ".build", "console-screenshots");
        return Path.Combine(Path.GetTempPath(), "console-screenshots");
    }
}
