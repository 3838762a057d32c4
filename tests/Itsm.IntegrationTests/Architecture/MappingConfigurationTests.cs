using System.Collections.Concurrent;
using AutoMapper;
using Itsm.Application;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Itsm.IntegrationTests.Architecture;

/// <summary>
/// The read mappings as the app registers them: every destination member is mapped or ignored on purpose, and the
/// mapper runs without a licence (AutoMapper 14, MIT; 15 and later log a licence notice without a paid key).
/// </summary>
public sealed class MappingConfigurationTests
{
    [Test]
    public void AddItsmApplication_WhenMapperIsResolved_ConfigurationIsValid()
    {
        using var services = Build(new CapturingLoggerProvider());
        var configuration = services.GetRequiredService<IConfigurationProvider>();
        Assert.DoesNotThrow(configuration.AssertConfigurationIsValid);
    }

    [Test]
    public void AddItsmApplication_WhenMapperIsResolved_LogsNoLicenceNotice()
    {
        var logs = new CapturingLoggerProvider();
        using var services = Build(logs);
        _ = services.GetRequiredService<IMapper>();
        Assert.That(logs.Messages.Where(m => m.Contains("licen", StringComparison.OrdinalIgnoreCase)), Is.Empty,
            "no licence key is needed: " + string.Join(" | ", logs.Messages));
    }

    private static ServiceProvider Build(ILoggerProvider logs)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddItsmApplication();
        return services.BuildServiceProvider();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Messages);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}
