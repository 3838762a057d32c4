// Prints the schema the EF Core model wants, for one provider, as SQL: the starting point of a new
// migration script (EF Core Design, which would generate migrations, does not restore here).
// Usage: dotnet run --project tools/Itsm.SchemaTool -- sqlite|postgres
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

var provider = args.FirstOrDefault()?.ToLowerInvariant();
var options = new DbContextOptionsBuilder<ItsmDbContext>();
switch (provider)
{
    case "sqlite": options.UseSqlite("Data Source=:memory:"); break;
    case "postgres": options.UseNpgsql("Host=localhost"); break;
    default:
        Console.Error.WriteLine("usage: Itsm.SchemaTool sqlite|postgres");
        return 2;
}
using var db = new ItsmDbContext(options.Options);
Console.WriteLine(db.Database.GenerateCreateScript());
return 0;
