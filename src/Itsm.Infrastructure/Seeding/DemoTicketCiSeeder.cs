using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Seeding;

/// <summary>
/// Puts affected CIs of the demo CMDB (seed-data/demo/cmdb.json, README-cmdb.md) on demo tickets, and opens the
/// correlation demo: one incident on each of five components whose VMs all connect to access switch
/// <c>sw-dc1-acc-r07</c>. CIs are looked up by (Source "demo", native key); without the demo CMDB it does nothing.
/// Impacted services are left to the refresh job, which computes them once the graph is loaded.
/// </summary>
public sealed class DemoTicketCiSeeder(ItsmDbContext db, IProcessCatalog processes, ITicketNumberGenerator numbers)
{
    public const string Source = "demo";

    private static readonly (string Key, string Text)[] CorrelationGroup =
    [
        ("cmp-ob-cartservice", "Online Shop: items vanish from the cart"),
        ("cmp-ob-checkoutservice", "Online Shop: checkout times out"),
        ("cmp-tt-ts-order-service", "Train Booking: orders fail with error 502"),
        ("cmp-payroll-engine", "Payroll run stalls before the bank export"),
        ("cmp-hr-service", "HR Portal: profile pages load very slowly"),
    ];

    /// <summary>Open demo tickets (oldest first) that get a CI, by the CI's native key.</summary>
    private static readonly string[] IncidentCis = ["bs-email", "bs-vpn", "db-ob-redis-cart"];
    private static readonly string[] ProblemCis = ["db-ob-redis-cart", "cmp-ob-cartservice"];

    public async Task ApplyAsync(DateTimeOffset now, CancellationToken ct)
    {
        var keys = CorrelationGroup.Select(c => c.Key).Concat(IncidentCis).Concat(ProblemCis).Distinct().ToList();
        var cis = await db.ConfigurationItems.AsNoTracking().Where(c => c.Source == Source && keys.Contains(c.NativeKey!))
            .Select(c => new { c.Id, c.Name, c.NativeKey, c.Restricted }).ToDictionaryAsync(c => c.NativeKey!, ct);
        if (CorrelationGroup.Any(c => !cis.ContainsKey(c.Key))) return; // no demo CMDB (yet)

        var agentUser = await db.Users.AsNoTracking().FirstAsync(u => u.UserName == "agent", ct);
        var callerUser = await db.Users.AsNoTracking().FirstAsync(u => u.UserName == "requester", ct);
        // Names as people read them (the display name); and no "%" or "_" in any text below: the text-search tests rely on it.
        var agent = new Actor(agentUser.Id, agentUser.DisplayName, new HashSet<string> { Roles.Agent }, new HashSet<Guid>());
        var caller = new Actor(callerUser.Id, callerUser.DisplayName, new HashSet<string> { Roles.Requester }, new HashSet<Guid>());
        var process = processes.For(TicketKind.Incident);

        void Affect(Ticket ticket, string key, DateTimeOffset at)
        {
            var ci = cis[key];
            db.TicketConfigurationItems.Add(new TicketConfigurationItem(ticket.Id, ci.Id, TicketCiRole.Affected, TicketCiOrigin.Manual, false, at, agent.UserName));
            ticket.RecordConfigurationItems(ImpactedServices.AffectedField, null, ImpactedServices.Label(ci.Id, ci.Name, ci.Restricted), agent, at);
        }

        // The correlation demo: reported within the last two hours, a few minutes apart, still open.
        for (var i = 0; i < CorrelationGroup.Length; i++)
        {
            var (key, text) = CorrelationGroup[i];
            var at = now.AddMinutes(-120 + 12 * i);
            var incident = Incident.Log(await numbers.NextAsync(TicketKind.Incident, ct), text, "Reported through the portal. " + text + ".",
                Impact.Medium, Urgency.High, null, callerUser.Id, caller.UserName, process, caller, at);
            db.Incidents.Add(incident);
            Affect(incident, key, at.AddMinutes(3));
        }

        var active = process.ActiveStates.ToList();
        var incidents = await db.Incidents.Where(t => active.Contains(t.State) && t.ParentIncidentId == null)
            .OrderBy(t => t.OpenedAt).Take(IncidentCis.Length).ToListAsync(ct);
        foreach (var (incident, key) in incidents.Zip(IncidentCis).Where(p => cis.ContainsKey(p.Second)))
            Affect(incident, key, Max(incident.UpdatedAt, incident.OpenedAt).AddMinutes(1));

        var openProblems = processes.For(TicketKind.Problem).ActiveStates.ToList();
        var problems = await db.Problems.Where(t => openProblems.Contains(t.State)).OrderBy(t => t.OpenedAt).Take(ProblemCis.Length).ToListAsync(ct);
        foreach (var (problem, key) in problems.Zip(ProblemCis).Where(p => cis.ContainsKey(p.Second)))
            Affect(problem, key, Max(problem.UpdatedAt, problem.OpenedAt).AddMinutes(1));

        await db.SaveChangesAsync(ct);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
