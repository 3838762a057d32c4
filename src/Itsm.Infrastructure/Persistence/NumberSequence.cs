using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence.Configurations;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Itsm.Infrastructure.Persistence;

/// <summary>SQLite: the next number per ticket kind, incremented in the writer's turn. PostgreSQL uses sequences instead and leaves this table empty (docs/decisions/0008).</summary>
public class NumberSequence
{
    public string Prefix { get; set; } = "";
    public long Next { get; set; }
}
