using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vigil.Actors;
using Vigil.TestKit;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task HandlerFailure_Logged_WithEventIdActorPathAndMessageType()
    {
        var logs = new ListLoggerFactory();
        await using var system = new ActorSystem("ward", time: new ManualClock(), loggerFactory: logs);
        var probe = new TestProbe(system);
        var counter = system.Spawn<CounterMsg>("bed-4", () => new Counter(probe), new ActorOptions { Supervision = SupervisionStrategy.Resume });
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Boom());
        await system.NextDeadLetterAsync();

        var failure = Assert.Single(logs.Events, e => e.Id == 1001);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("vigil://ward/user/bed-4", failure.Message);
        Assert.Contains(nameof(Boom), failure.Message);
        Assert.Contains("Resume", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.Error);
        Assert.Contains(logs.Events, e => e.Id == 1004 && e.Message.Contains("HandlerFailed"));
    }

    private sealed class ListLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message, Exception? Error)> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId.Id, logLevel, formatter(state, exception), exception));
    }
}
