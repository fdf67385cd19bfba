namespace Vigil.Streams.Windows;

/// <summary>The elements whose event time falls in [<paramref name="Start"/>, <paramref name="End"/>), ordered by event time.</summary>
/// <param name="Start">Inclusive window start (event time).</param>
/// <param name="End">Exclusive window end (event time).</param>
/// <param name="Items">The elements, sorted by event time (stable for equal times).</param>
/// <typeparam name="T">Element type.</typeparam>
public sealed record EventTimeWindow<T>(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<T> Items);
