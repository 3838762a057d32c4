using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

public sealed record UserInfo(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles);
