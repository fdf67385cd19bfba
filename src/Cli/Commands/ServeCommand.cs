using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Vigil.WardConsole;
using Vigil.WardConsole.Security;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil serve [--port 8080] [--ward-simulation N] [--config FILE.json] [--models DIR]
/// [--boneage-reports report.csv] [--video-results DIR] [--thermal-beds N] [--audit FILE.db] [--bind ADDR] [--otlp URL]</c>: the ward console
/// (see docs/console.md) until SIGTERM/SIGINT. Without configured keys it makes three random ones
/// (viewer, clinician, admin) for this run and prints them once on standard output.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args);
        var port = a.GetInt("port", 8080);
        var simulation = a.GetInt("ward-simulation", 0);
        var config = a.Get("config");
        var models = a.Get("models") ?? Path.Combine(RepositoryPaths.Root, "models");
        var boneAge = a.Get("boneage-reports");
        var videoResults = a.Get("video-results");
        int? thermalBeds = a.Get("thermal-beds") is null ? null : a.GetInt("thermal-beds", 3);
        var audit = a.Get("audit");
        var bind = a.Get("bind");
        var otlp = a.Get("otlp");
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        if (port is < 0 or > 65535) throw new CommandLineException($"--port must be 0 to 65535, got {port}");
        if (simulation is < 0 or > 10_000) throw new CommandLineException($"--ward-simulation must be 0 to 10000 patients, got {simulation}");
        if (thermalBeds is < 0 or > 64) throw new CommandLineException($"--thermal-beds must be 0 to 64, got {thermalBeds}");
        if (videoResults is not null && !Directory.Exists(videoResults)) throw new CommandLineException($"--video-results {videoResults}: no such folder");
        if (config is not null && !File.Exists(config)) throw new CommandLineException($"{config}: configuration file not found");

        List<(string Name, string Key)> generated = [];
        var app = ConsoleApp.Create(o =>
        {
            o.Port = port;
            o.WardSimulation = simulation;
            o.ModelsFolder = models;
            if (boneAge is not null) o.BoneAgeReports = boneAge;
            if (videoResults is not null) o.VideoResults = videoResults;
            if (thermalBeds is { } beds) o.ThermalBeds = beds;
            if (audit is not null) o.AuditDatabase = audit;
            if (bind is not null) o.BindAddress = bind;
            if (otlp is not null) o.OtlpEndpoint = otlp;
            generated = EnsureKeys(o);
        }, b => { if (config is not null) b.Configuration.AddJsonFile(Path.GetFullPath(config), optional: false); });
        await app.StartAsync();
        Console.WriteLine($"vigil serve: ward console on {string.Join(", ", app.Urls)} ({simulation} simulated patients)");
        PrintKeys(generated);
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Without configured keys, adds three random ones (viewer, clinician, admin) for this run and returns them.</summary>
    internal static List<(string Name, string Key)> EnsureKeys(ConsoleOptions o)
    {
        List<(string Name, string Key)> generated = [];
        if (o.ApiKeys.Count > 0) return generated;
        foreach (var role in new[] { WardRole.Viewer, WardRole.Clinician, WardRole.Admin })
        {
            var key = ApiKeyStore.NewKey();
            var name = "demo-" + role.ToString().ToLowerInvariant();
            generated.Add((name, key));
            o.ApiKeys.Add(new ApiKeyEntry { Name = name, Role = role, Sha256 = ApiKeyStore.Hash(key) });
        }
        return generated;
    }

    /// <summary>Prints generated keys once on standard output (never to the log).</summary>
    internal static void PrintKeys(List<(string Name, string Key)> generated)
    {
        if (generated.Count == 0) return;
        Console.WriteLine("no API keys configured (Console:ApiKeys); keys for this run only:");
        foreach (var (name, key) in generated) Console.WriteLine($"  {name,-16} {key}");
    }
}
