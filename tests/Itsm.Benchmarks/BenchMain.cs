namespace Itsm.Benchmarks;

/// <summary>The entry point (not a top-level Program: that name is the web app's, which the factory needs).</summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        Options o;
        try
        {
            o = Options.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Environment.NewLine + Options.Usage);
            return 2;
        }
        if (o.Help)
        {
            Terminal.WriteLine(Options.Usage);
            return 0;
        }
        try
        {
            var rc = 0;
            if (o.Scenario is "create" or "all") rc |= await CreateScenario.RunAsync(o);
            if (o.Scenario is "queue" or "all") rc |= await QueueScenario.RunAsync(o);
            if (o.Scenario is "scale") rc |= await ScaleScenario.RunAsync(o);
            if (o.Scenario is "cmdb") rc |= await Cmdb.CmdbScenario.RunAsync(o);
            if (o.Scenario is "cmdb-import") rc |= await Cmdb.ImportScenario.RunAsync(o);
            if (o.Scenario is "changes") rc |= await Changes.ChangesScenario.RunAsync(o);
            return rc;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
