using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Storage;

/// <summary>
/// At start, before the graphs run (it is registered before them), puts back what the store kept:
/// every alert with its acknowledgement, the recent heart-rate history and the thermal records
/// (breathing windows, blinks, action units, dyspnea events), so a restart loses nothing the console
/// had accepted.
/// </summary>
internal sealed class WardRestore(IWardStore store, WardState ward, Thermal.ThermalWard thermal, ConsoleOptions options, ILogger<WardRestore> log, TimeProvider? time = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var since = (time ?? TimeProvider.System).GetUtcNow().AddHours(-options.Storage.ReloadHours);
        var alerts = await store.LoadAlertsAsync(cancellationToken).ConfigureAwait(false);
        var history = await store.LoadResultsAsync(WardState.HeartRateKind, since, options.HistoryPerPatient, cancellationToken).ConfigureAwait(false);
        ward.Restore(alerts, history);
        var thermalRecords = 0;
        foreach (var kind in Thermal.ThermalWard.StoredKinds)
        {
            var rows = await store.LoadResultsAsync(kind, since, options.HistoryPerPatient, cancellationToken).ConfigureAwait(false);
            thermal.Restore(rows);
            thermalRecords += rows.Count;
        }
        log.LogInformation(new EventId(1721, "WardRestored"), "Restored {Alerts} alerts, {Windows} heart-rate windows and {Thermal} thermal records from the {Provider} store",
            alerts.Count, history.Count, thermalRecords, store.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
