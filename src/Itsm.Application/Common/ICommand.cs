using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>Marks a request that changes state: it runs inside <see cref="IUnitOfWork"/>.</summary>
public interface ICommand;
