using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Infrastructure.Seeding;

/// <summary>
/// Loads seed-data/demo into an empty database: one account per role, ~200 incidents over the last 90 days in
/// every state, and ~20 problems in every state with linked incidents. Tickets are made through the domain's own
/// methods, step by step at past times, so their history and worklog are what real use would have left.
/// </summary>
public sealed class DemoDataSeeder(ItsmDbContext db, UserManager<ItsmUser> users, IProcessCatalog processes, ITicketNumberGenerator numbers,
    IReferenceData referenceData, IServiceProvider services)
{
    public async Task<bool> ApplyAsync(string seedDirectory, string password, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct)) return await ImportCmdbAsync(seedDirectory, null, ct);
        var people = await CreateUsersAsync(Path.Combine(seedDirectory, "demo", "users.yaml"), password);
        var file = SeedFiles.Read<SeedFiles.Incidents>(Path.Combine(seedDirectory, "demo", "incidents.yaml"));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await CreateIncidentsAsync(file, people, now, ct);
        await CreateProblemsAsync(SeedFiles.Read<SeedFiles.ProblemFile>(Path.Combine(seedDirectory, "demo", "problems.yaml")), people, now, ct);
        await ImportCmdbAsync(seedDirectory, people.First(p => p.User.UserName == "admin").Actor, ct);
        await new DemoTicketCiSeeder(db, processes, numbers).ApplyAsync(now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<List<(ItsmUser User, Actor Actor)>> CreateUsersAsync(string path, string password)
    {
        var groups = await db.AssignmentGroups.Include(g => g.Members).ToListAsync();
        var result = new List<(ItsmUser, Actor)>();
        foreach (var row in SeedFiles.Read<SeedFiles.UserFile>(path).Users)
        {
            var user = new ItsmUser { UserName = row.UserName, DisplayName = row.DisplayName, Email = $"{row.UserName}@example.org", EmailConfirmed = true };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded) throw new InvalidOperationException($"Demo user {row.UserName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            await users.AddToRolesAsync(user, row.Roles);
            var memberOf = new HashSet<Guid>();
            foreach (var name in row.Groups)
            {
                var group = groups.FirstOrDefault(g => g.Name == name) ?? throw new InvalidOperationException($"Demo user {row.UserName}: unknown group '{name}'.");
                group.AddMember(user.Id);
                memberOf.Add(group.Id);
            }
            result.Add((user, new Actor(user.Id, row.DisplayName, row.Roles.ToHashSet(), memberOf)));
        }
        await db.SaveChangesAsync();
        referenceData.Invalidate(); // the groups have new members
        return result;
    }

    private async Task CreateIncidentsAsync(SeedFiles.Incidents file, List<(ItsmUser User, Actor Actor)> people, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(20261122);
        var process = processes.For(TicketKind.Incident);
        var groups = await db.AssignmentGroups.Include(g => g.Members).ToListAsync(ct);
        var categories = await db.Categories.ToListAsync(ct);
        var callers = people.Where(p => p.Actor.IsInRole(Roles.Requester)).ToList();
        T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];
        Incident? major = null;

        for (var n = 0; n < file.Count; n++)
        {
            var template = Pick(file.Templates);
            var caller = Pick(callers);
            var at = now.AddDays(-random.NextDouble() * file.Days);
            DateTimeOffset Later() => at = Min(at.AddMinutes(10 + random.Next(60 * 24)), now.AddMinutes(-1));
            var incident = Incident.Log(await numbers.NextAsync(TicketKind.Incident, ct), template.Text,
                "Reported through the portal. " + template.Text + ".", (Impact)template.Impact, (Urgency)template.Urgency,
                template.Category, caller.User.Id, caller.Actor.UserName, process, caller.Actor, at);
            db.Incidents.Add(incident);

            // Where this one ends: weights roughly as a real desk's backlog looks.
            var roll = random.Next(100);
            if (roll < 15) continue; // stays New and unassigned
            var group = groups.First(g => g.Id == categories.First(c => c.Code == template.Category).DefaultGroupId);
            var agents = people.Where(p => p.Actor.IsInRole(Roles.Agent) && group.HasMember(p.User.Id)).ToList();
            var worker = agents.Count > 0 ? Pick(agents) : people.First(p => p.User.UserName == "agent");
            if (!group.HasMember(worker.User.Id)) group = groups.First(g => g.HasMember(worker.User.Id));
            incident.Assign(group, roll < 22 ? null : worker.User.Id, worker.Actor.UserName, worker.Actor, Later());
            if (roll < 22) continue; // assigned to a group, nobody has taken it
            incident.ApplyTransition(process, "start", NoFields, worker.Actor, Later());
            incident.AddWorklog(WorklogKind.WorkNote, Pick(file.WorkNotes), process, worker.Actor, Later());
            if (random.Next(3) == 0) incident.AddWorklog(WorklogKind.Comment, Pick(file.Comments), process, caller.Actor, Later());
            if (roll < 45) continue; // in progress
            if (roll < 55)
            {
                incident.ApplyTransition(process, "put-on-hold", Fields(TransitionFields.HoldReason, Pick(process.HoldReasons).Id), worker.Actor, Later());
                continue;
            }
            if (roll < 60)
            {
                incident.ApplyTransition(process, "cancel", Fields(TransitionFields.CancelReason, "Duplicate of another report."), worker.Actor, Later());
                continue;
            }
            if (major is null && template.Impact == 1)
            {
                major = incident;
                continue; // the demo's major incident stays open, with children linked to it below
            }
            if (major is not null && random.Next(8) == 0 && incident.ParentIncidentId is null)
            {
                incident.LinkToParent(major, worker.Actor, Later());
                continue;
            }
            var resolution = Pick(file.Resolutions);
            incident.ApplyTransition(process, "resolve", new Dictionary<string, string?>
            {
                [TransitionFields.ResolutionCode] = resolution.Code,
                [TransitionFields.ResolutionNotes] = resolution.Notes,
            }, worker.Actor, Later());
            if (roll < 75 || at > now.AddDays(-7)) continue; // resolved, within the reopen window
            incident.ApplyTransition(process, "close", NoFields, worker.Actor, Later());
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Raises each demo problem at its time, links the incidents of its template (oldest first, those not closed), puts
    /// some on hold for it, and walks it to its state: assess, analyse, fix (root cause), resolve, close or cancel.
    /// </summary>
    private async Task CreateProblemsAsync(SeedFiles.ProblemFile file, List<(ItsmUser User, Actor Actor)> people, DateTimeOffset now, CancellationToken ct)
    {
        var process = processes.For(TicketKind.Problem);
        var incidents = processes.For(TicketKind.Incident);
        Actor Person(string userName) => people.First(p => p.User.UserName == userName).Actor;
        var manager = Person("problemmanager");
        var desk = Person("agent");
        var serviceDesk = await db.AssignmentGroups.Include(g => g.Members).FirstAsync(g => g.Name == "Service Desk", ct);
        var reached = process.States.Select(st => st.Id).ToList();

        foreach (var row in file.Problems)
        {
            if (!reached.Contains(row.State)) throw new InvalidOperationException($"Demo problem '{row.Text}': unknown state '{row.State}'.");
            var at = now.AddDays(-row.DaysAgo);
            // Steps are a few hours apart and never in the future.
            DateTimeOffset Later(double hours = 5) => at = Min(at.AddHours(hours), now.AddMinutes(-1));
            var problem = Problem.Log(await numbers.NextAsync(TicketKind.Problem, ct), row.Text, row.Description ?? row.Text + ".",
                (Impact)row.Impact, (Urgency)row.Urgency, row.Category, Person(row.RaisedBy), process, at);
            db.Problems.Add(problem);

            if (row.IncidentText is { } text && row.Incidents > 0)
            {
                var final = incidents.States.Where(st => st.IsFinal).Select(st => st.Id).ToList();
                var linked = await db.Incidents.Where(i => i.ShortDescription == text && i.ProblemId == null && !final.Contains(i.State))
                    .OrderBy(i => i.Number).Take(row.Incidents).ToListAsync(ct);
                var onHold = row.OnHold;
                foreach (var incident in linked)
                {
                    var linkAt = Min(Max(at, incident.UpdatedAt).AddMinutes(30), now.AddMinutes(-1));
                    incident.LinkToProblem(problem, desk, linkAt);
                    if (onHold > 0 && incident.State is "new" or "in-progress")
                    {
                        incident.ApplyTransition(incidents, "put-on-hold", Fields(TransitionFields.HoldReason, "awaiting-problem"), desk, linkAt.AddMinutes(1));
                        onHold--;
                    }
                }
            }
            if (row.State == "new") continue;

            if (row.State == "canceled")
            {
                problem.ApplyTransition(process, "assess", NoFields, manager, Later());
                problem.ApplyTransition(process, "cancel", Fields(TransitionFields.CancelReason, row.CancelReason ?? "Not a problem."), manager, Later(24));
                continue;
            }
            problem.Assign(serviceDesk, manager.UserId, manager.UserName, manager, Later(2));
            problem.ApplyTransition(process, "assess", NoFields, manager, Later());
            if (row.State == "assess") continue;

            problem.ApplyTransition(process, "analyse-root-cause", NoFields, manager, Later(24));
            problem.AddWorklog(WorklogKind.WorkNote, "Collected logs from the linked incidents; looking for what they share.", process, manager, Later());
            if (row.State == "root-cause-analysis")
            {
                if (row.RootCause is not null || row.Workaround is not null)
                    problem.RecordRootCause(row.RootCause, row.Workaround, manager, Later(24));
                if (row.KnownError) problem.PublishKnownError(manager, Later(1));
                continue;
            }

            var fix = new Dictionary<string, string?> { [ProblemVocabulary.RootCause] = row.RootCause ?? "Found during analysis." };
            if (row.Workaround is not null) fix[ProblemVocabulary.Workaround] = row.Workaround;
            problem.ApplyTransition(process, "start-fix", fix, manager, Later(48));
            if (row.KnownError && row.Workaround is not null) problem.PublishKnownError(manager, Later(1));
            if (row.State == "fix-in-progress") continue;

            problem.ApplyTransition(process, "resolve", new Dictionary<string, string?>
            {
                [TransitionFields.ResolutionCode] = row.ResolutionCode ?? ProblemVocabulary.FixApplied,
                [TransitionFields.ResolutionNotes] = row.ResolutionNotes ?? "Fix applied.",
            }, manager, Later(72));
            if (row.State == "resolved") continue;
            problem.ApplyTransition(process, "close", NoFields, manager, Later(72));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The demo CMDB (seed-data/demo/cmdb.json) into an empty CMDB, through the same import as the API and the page, as
    /// the admin. A database seeded before the CMDB existed gets it too.
    /// </summary>
    private async Task<bool> ImportCmdbAsync(string seedDirectory, Actor? admin, CancellationToken ct)
    {
        var path = Path.Combine(seedDirectory, "demo", "cmdb.json");
        if (!File.Exists(path) || await db.ConfigurationItems.AnyAsync(ct)) return false;
        admin ??= await db.Users.Where(u => u.UserName == "admin").Select(u => new Actor(u.Id, u.UserName!, new HashSet<string> { Roles.Admin }, new HashSet<Guid>()))
            .FirstOrDefaultAsync(ct) ?? Actor.System;
        ImportCmdb command;
        await using (var file = File.OpenRead(path)) command = await CmdbImportReader.ReadJsonAsync(file, null, null, ct);
        if (new ImportCmdbValidator().Validate(command).FirstOrDefault() is ({ } field, { } message))
            throw new InvalidOperationException($"{path}: {field}: {message}");
        var handler = ActivatorUtilities.CreateInstance<ImportCmdbHandler>(services, new SeedUser(admin));
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var result = await handler.Handle(command, ct);
        if (result.Rejections.Count > 0)
            throw new InvalidOperationException($"{path}: {result.Rejections.Count} rows rejected, e.g. row {result.Rejections[0].Row} ({result.Rejections[0].Kind}): {result.Rejections[0].Reason}");
        if (tx is not null) await tx.CommitAsync(ct);
        return true;
    }

    private sealed class SeedUser(Actor actor) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public Actor Actor => actor;
    }

    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();
    private static Dictionary<string, string?> Fields(string name, string value) => new() { [name] = value };
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
