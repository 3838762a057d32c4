using Itsm.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Support;

public static class InfrastructureServices
{
    /// <summary>The app's own registrations (AddItsmInfrastructure) without the web host, pointed at one test database.</summary>
    public static ServiceProvider For(TestDatabase database)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:Itsm"] = database.ConnectionString,
            ["Jobs:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddItsmInfrastructure(config, TestContext.CurrentContext.TestDirectory);
        return services.BuildServiceProvider();
    }
}
