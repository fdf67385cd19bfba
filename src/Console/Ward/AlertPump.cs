using Microsoft.Extensions.Hosting;
using Vigil.WardConsole.Telemetry;

namespace Vigil.WardConsole.Ward;

/// <summary>Reads every registered <see cref="IAlertSource"/> and files its alerts on the ward.</summary>
internal sealed class AlertPump(IEnumerable<IAlertSource> sources, WardState ward, ConsoleMetrics metrics) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(sources.Select(async s =>
        {
            try
            {
                await foreach (var alert in s.ReadAllAsync(stoppingToken))
                {
                    ward.Raise(alert);
                    metrics.StageItems.Add(1, new KeyValuePair<string, object?>("stage", "alerts.raised"));
                }
            }
            catch (OperationCanceledException) { /* stopping */ }
        }));
}
