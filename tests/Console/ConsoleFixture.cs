using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Ppg;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Tests;

/// <summary>A console on an in-process test server with three keys (viewer, clinician, admin) and a fresh audit database.</summary>
public sealed class ConsoleFixture : IAsyncDisposable
{
    public const string ViewerKey = "viewer-key-for-tests";
    public const string ClinicianKey = "clinician-key-for-tests";
    public const string AdminKey = "admin-key-for-tests";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-console-tests-" + Guid.NewGuid().ToString("N"));

    private ConsoleFixture(Action<ConsoleOptions>? configure, Action<WebApplicationBuilder>? customize)
    {
        Directory.CreateDirectory(_dir);
        App = ConsoleApp.Create(o =>
        {
            o.Port = 0;
            o.AuditDatabase = Path.Combine(_dir, "audit.db");
            o.ApiKeys =
            [
                new ApiKeyEntry { Name = "ward-screen", Role = WardRole.Viewer, Sha256 = ApiKeyStore.Hash(ViewerKey) },
                new ApiKeyEntry { Name = "nurse-a", Role = WardRole.Clinician, Sha256 = ApiKeyStore.Hash(ClinicianKey) },
                new ApiKeyEntry { Name = "it-admin", Role = WardRole.Admin, Sha256 = ApiKeyStore.Hash(AdminKey) },
            ];
            configure?.Invoke(o);
        }, b => { b.WebHost.UseTestServer(); customize?.Invoke(b); });
    }

    public WebApplication App { get; }

    public WardState Ward => App.Services.GetRequiredService<WardState>();

    public WardFeed Feed => App.Services.GetRequiredService<WardFeed>();

    public Thermal.ThermalWard Thermal => App.Services.GetRequiredService<Thermal.ThermalWard>();

    /// <summary>A folder deleted with the fixture, for test inputs.</summary>
    public string Folder => _dir;

    public AuditLog Audit => App.Services.GetRequiredService<AuditLog>();

    public static async Task<ConsoleFixture> StartAsync(Action<ConsoleOptions>? configure = null, Action<WebApplicationBuilder>? customize = null)
    {
        var f = new ConsoleFixture(configure, customize);
        await f.App.StartAsync();
        await f.Feed.Graph.WaitAsync(TimeSpan.FromSeconds(30));
        return f;
    }

    public HttpClient Client(string? key = null)
    {
        var c = App.GetTestClient();
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>A result as the PPG graph emits it.</summary>
    public static PpgWindowResult Result(string patient, long window, double bpm, PpgStatus status = PpgStatus.Ok, double confidence = 0.9) =>
        new(patient, window, 2 * window, 2 * window + 8, bpm, confidence, 0.8, 0.1, status, status == PpgStatus.Ok ? null : "motion", "test-tracker/1.0");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
