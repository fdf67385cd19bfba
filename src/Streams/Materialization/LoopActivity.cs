namespace Vigil.Streams.Materialization;

/// <summary>
/// Whether one running loop (a sink, a pump behind an async boundary) is busy or parked on an
/// incomplete wait. A graph whose loops are all parked or finished is idle: nothing will happen
/// until something outside it acts (an offer, a clock advance, a task completing).
/// </summary>
internal sealed class LoopActivity(string name)
{
    private Task? _parkedOn;
    private volatile bool _finished;

    public string Name { get; } = name;

    public bool IsQuiet => _finished || Volatile.Read(ref _parkedOn) is { IsCompleted: false };

    public void Park(Task task) => Volatile.Write(ref _parkedOn, task);

    public void Unpark() => Volatile.Write(ref _parkedOn, null);

    public bool IsFinished => _finished;

    public void Finish() => _finished = true;
}
