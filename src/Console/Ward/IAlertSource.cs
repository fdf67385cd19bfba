namespace Vigil.WardConsole.Ward;

/// <summary>
/// Where alerts come from: the demonstration heart-rate rule today; breathing-rate, apnoea and
/// video/infrared detectors plug in by registering another implementation as a singleton
/// <see cref="IAlertSource"/>. The console reads every registered source and files its alerts.
/// </summary>
public interface IAlertSource
{
    /// <summary>Source name shown beside each alert.</summary>
    string Name { get; }

    /// <summary>The source's alerts as they are raised, until <paramref name="cancellationToken"/> fires or the source ends.</summary>
    IAsyncEnumerable<WardAlert> ReadAllAsync(CancellationToken cancellationToken);
}
