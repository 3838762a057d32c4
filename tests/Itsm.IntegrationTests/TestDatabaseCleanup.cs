using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests;

/// <summary>Runs after every fixture of the assembly (its namespace is the root of all of them): drops the test databases a fixture's teardown could not.</summary>
[SetUpFixture]
public sealed class TestDatabaseCleanup
{
    [OneTimeTearDown]
    public void DropLeftovers() => PostgresDrop.DropLeftovers();
}
