using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>The base of the CAB tests: one app and database per fixture, and the scene that raises the changes the CAB reviews.</summary>
public abstract class CabFixture(DbProvider provider)
{
    protected ItsmApp App { get; private set; } = null!;
    protected CabScene Scene { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartApp()
    {
        App = new ItsmApp(provider);
        Scene = new CabScene(App);
    }

    [OneTimeTearDown] public void StopApp() => App.Dispose();
}
