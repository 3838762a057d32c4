using Itsm.Application.Features.Changes;
using Itsm.Application.Features.Changes.Cab;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Seeding;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace Itsm.Web.Infrastructure;

/// <summary>
/// Loads seed-data/demo/changes.yaml into a demo database that has no change yet: each change is raised and moved as
/// the people named in the file, through the same requests the pages send (signed in as them), so its risk,
/// conflicts, approvals and history are exactly what real use would give; then a CAB meeting for next week.
/// Changes are planned from today on (a standard change in its next free slot): the demo's calendar, approvals inbox and CAB workbench have work in them.
/// </summary>
public sealed class DemoChangeSeeder(IServiceProvider root, ILogger<DemoChangeSeeder> log)
{
    public async Task ApplyAsync(string seedDirectory, DateTimeOffset now, CancellationToken ct)
    {
        var path = Path.Combine(seedDirectory, "demo", "changes.yaml");
        if (!File.Exists(path)) return;
        // Once: a demo database that has changes (or no demo CMDB to put them on) is left alone.
        var changes = await AsAsync("admin", m => m.Send(new ListChanges { PageSize = 1 }, ct));
        var cis = await AsAsync("admin", m => m.Send(new ListConfigurationItems { PageSize = 1 }, ct));
        if (changes.Total > 0 || cis.Total == 0) return;
        var file = SeedFiles.Read<DemoChangeFile>(path);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var row in file.Changes)
        {
            var at = TimeSpan.Parse(row.At, System.Globalization.CultureInfo.InvariantCulture);
            var start = today.AddDays(row.DaysAhead) + at;
            var ciIds = await AsAsync("admin", m => CiIdsAsync(m, row, ct));
            var change = await AsAsync(row.RaisedBy, m => m.Send(new RaiseChange
            {
                Type = row.Type, Template = row.Template, ShortDescription = row.Text,
                Description = row.Description ?? row.Text + ".",
                Justification = row.Justification, ImplementationPlan = row.ImplementationPlan ?? "Follow the runbook for the CIs named.",
                BackoutPlan = row.BackoutPlan ?? "Restore the state saved before the change.",
                TestPlan = row.TestPlan ?? "Check the service's health dashboard and a user journey.",
                PlannedStart = start, PlannedEnd = row.Type == "standard" ? null : start.AddHours(row.Hours),
                Implementer = row.Implementer, CiIds = ciIds,
            }, ct));
            if (row.Type == "standard")
                await AsAsync(row.RaisedBy, m => IntoFreeSlotAsync(m, change, ct));
            foreach (var (user, transition) in Steps(row))
                await AsAsync(user, m => m.Send(new TransitionTicket { Kind = TicketKind.Change, Number = change.Number, Transition = transition }, ct));
            foreach (var approver in row.ApprovedBy)
                await AsAsync(approver, async m =>
                {
                    var asked = (await m.Send(new ListMyApprovals(), ct)).Items.FirstOrDefault(i => i.ChangeNumber == change.Number)
                        ?? throw new InvalidOperationException($"changes.yaml: '{row.Text}': {approver} is not asked to approve it.");
                    return await m.Send(new DecideChangeApproval(change.Number, asked.ApprovalId, "approve", "Fine from our side; go ahead in the window."), ct);
                });
        }
        var monday = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 + 7);
        await AsAsync("changemanager", m => m.Send(new PlanCabMeeting
        {
            Title = "Weekly CAB", StartsAt = monday.AddHours(13), EndsAt = monday.AddHours(14),
            PeriodFrom = today, PeriodTo = today.AddDays(30),
        }, ct));
        log.LogInformation("Loaded {Count} demo changes and a CAB meeting", file.Changes.Count);
    }

    /// <summary>The transitions (and who makes them) that bring a change from New to the state the file asks for.</summary>
    private static IEnumerable<(string User, string Transition)> Steps(DemoChange row) => (row.Type, row.State) switch
    {
        (_, "new") => [],
        ("standard", "scheduled") => [(row.RaisedBy, "schedule-standard")],
        ("normal", "assess") => [(row.RaisedBy, "submit-for-assessment")],
        ("normal", "authorize") => [(row.RaisedBy, "submit-for-assessment"), ("changemanager", "request-authorization")],
        _ => throw new InvalidOperationException($"changes.yaml: '{row.Text}': a {row.Type} change cannot be left in '{row.State}' by the demo."),
    };

    /// <summary>
    /// Moves a standard change to the first free slot the scheduling assistant proposes from its planned day on: a
    /// standard change is scheduled only without conflict, and whether the day the file names falls in its CIs'
    /// maintenance window depends on the weekday the demo is loaded.
    /// </summary>
    private static async Task<ChangeDetails> IntoFreeSlotAsync(IMediator m, ChangeDetails change, CancellationToken ct)
    {
        var slots = await m.Send(new ProposeChangeSlots(change.Number, 20), ct);
        var slot = slots.FirstOrDefault(s => s.Start >= change.PlannedStart) ?? slots.FirstOrDefault()
            ?? throw new InvalidOperationException($"changes.yaml: '{change.ShortDescription}': no free slot in the next 90 days.");
        return await m.Send(new UpdateChange { Number = change.Number, PlannedStart = slot.Start, PlannedEnd = slot.End }, ct);
    }

    private static async Task<IReadOnlyList<long>> CiIdsAsync(IMediator m, DemoChange row, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var name in row.Cis)
        {
            var found = (await m.Send(new ListConfigurationItems { Name = name, PageSize = 50 }, ct)).Items.FirstOrDefault(c => c.Name == name)
                ?? throw new InvalidOperationException($"changes.yaml: '{row.Text}': no CI named {name} in the demo CMDB.");
            ids.Add(found.Id);
        }
        return ids;
    }

    /// <summary>Runs <paramref name="action"/> in a scope of its own, signed in as <paramref name="userName"/> (with the claims sign-in gives).</summary>
    private async Task<T> AsAsync<T>(string userName, Func<IMediator, Task<T>> action)
    {
        using var scope = root.CreateScope();
        var sp = scope.ServiceProvider;
        var users = sp.GetRequiredService<UserManager<ItsmUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"changes.yaml: unknown user '{userName}'.");
        var principal = await sp.GetRequiredService<IUserClaimsPrincipalFactory<ItsmUser>>().CreateAsync(user);
        var accessor = sp.GetRequiredService<IHttpContextAccessor>();
        var previous = accessor.HttpContext;
        accessor.HttpContext = new DefaultHttpContext { User = principal, RequestServices = sp };
        try
        {
            return await action(sp.GetRequiredService<IMediator>());
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    private sealed class DemoChangeFile
    {
        public List<DemoChange> Changes { get; set; } = [];
    }

    private sealed class DemoChange
    {
        public string Text { get; set; } = "";
        public string? Description { get; set; }
        public string Type { get; set; } = "normal";
        public string? Template { get; set; }
        public List<string> Cis { get; set; } = [];
        public int DaysAhead { get; set; }
        public string At { get; set; } = "22:00";
        public int Hours { get; set; } = 1;
        public string RaisedBy { get; set; } = "engineer";
        public string? Implementer { get; set; }
        public string State { get; set; } = "new";
        public List<string> ApprovedBy { get; set; } = [];
        public string? Justification { get; set; }
        public string? ImplementationPlan { get; set; }
        public string? BackoutPlan { get; set; }
        public string? TestPlan { get; set; }
    }
}
