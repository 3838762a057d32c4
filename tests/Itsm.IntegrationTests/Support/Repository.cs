namespace Itsm.IntegrationTests.Support;

/// <summary>The checkout the tests run from: shipped files (process definitions, scripts) are read from it.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Itsm.sln not found above the test directory.");
        }
    }
}
