using Itsm.Application.Common;
using Itsm.Domain.Changes.Approvals;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>The groups and their members, loaded once per request for the approval policy (groups are few).</summary>
public sealed class ApproverDirectory(IItsmDbContext db, IUserDirectory users)
{
    private Snapshot? _loaded;

    public async Task<IApproverDirectory> LoadAsync(CancellationToken ct)
    {
        if (_loaded is not null) return _loaded;
        var groups = await db.AssignmentGroups.AsNoTracking().Include(g => g.Members).ToListAsync(ct);
        var people = (await users.ListAsync(groups.SelectMany(g => g.Members.Select(m => m.UserId)).Distinct(), ct)).ToDictionary(u => u.Id);
        var approverGroups = groups.Select(g => new ApproverGroup(g.Id, g.Name, g.Members
            .Where(m => people.ContainsKey(m.UserId))
            .Select(m => people[m.UserId]).Select(u => new ApproverPerson(u.Id, u.UserName, u.DisplayName))
            .OrderBy(p => p.DisplayName, StringComparer.Ordinal).ToList())).ToList();
        return _loaded = new Snapshot(approverGroups, people.Values.Select(u => new ApproverPerson(u.Id, u.UserName, u.DisplayName)).ToList());
    }

    /// <summary>Whether the user belongs to the group, for deciding group approvals.</summary>
    public async Task<Func<Guid, string, bool>> MembershipAsync(CancellationToken ct)
    {
        var snapshot = (Snapshot)await LoadAsync(ct);
        return (groupId, userId) => snapshot.GroupById(groupId)?.Members.Any(m => m.UserId == userId) == true;
    }

    private sealed class Snapshot(IReadOnlyList<ApproverGroup> groups, IReadOnlyList<ApproverPerson> people) : IApproverDirectory
    {
        private readonly Dictionary<Guid, ApproverGroup> _byId = groups.ToDictionary(g => g.Id);
        private readonly Dictionary<string, ApproverGroup> _byName = groups.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ApproverPerson> _people = people.ToDictionary(p => p.UserName, StringComparer.OrdinalIgnoreCase);

        public ApproverGroup? GroupById(Guid id) => _byId.GetValueOrDefault(id);
        public ApproverGroup? GroupByName(string name) => _byName.GetValueOrDefault(name);
        public ApproverPerson? PersonByUserName(string userName) => _people.GetValueOrDefault(userName);
    }
}
