using Itsm.Domain.Identity;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>The person behind the current request; <see cref="Actor"/> throws when nobody is signed in.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }
    Actor Actor { get; }
}
